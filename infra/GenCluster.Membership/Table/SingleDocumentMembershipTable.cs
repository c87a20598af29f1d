using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// A membership table kept as one document (a JSON file, a blob) that every change reads, transforms and writes back
/// whole under an exclusion of its store's own (a file lock, a blob ETag). This class holds the contract's
/// transitions; a derived table supplies the read and the exclusive read-modify-write.
/// </summary>
public abstract class SingleDocumentMembershipTable : IMembershipTable
{
    /// <summary>The table nobody has written yet: what a missing document reads as.</summary>
    protected static MembershipTableSnapshot EmptyTable { get; } = new(0, []);

    /// <summary>Where the document is stored (a path, a URI), for messages.</summary>
    protected abstract string Location { get; }

    /// <inheritdoc />
    public abstract Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct);

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedTableVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var frozen = entry.Freeze();
        return ChangeAsync(
            table => table.Version != expectedTableVersion || table.Find(frozen.Silo) is not null
                ? null
                : new MembershipTableSnapshot(table.Version + 1, [.. table.Rows, new MembershipRow(frozen, NewETag())]),
            ct);
    }

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, long expectedTableVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(etag);
        var frozen = entry.Freeze();
        return ChangeAsync(
            table => table.Version != expectedTableVersion || table.Find(frozen.Silo)?.ETag != etag
                ? null
                : new MembershipTableSnapshot(table.Version + 1, Replace(table.Rows, new MembershipRow(frozen, NewETag()))),
            ct);
    }

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken ct) =>
        ChangeAsync(
            table =>
            {
                var current = table.Find(silo) ?? throw new InvalidOperationException($"silo {silo} has no row in the membership table '{Location}'");
                return table with { Rows = Replace(table.Rows, new MembershipRow(current.Entry with { IAmAliveTime = time }, NewETag())) };
            },
            ct);

    /// <summary>
    /// Reads the document, asks <paramref name="change"/> for the next table and writes it, excluding every other writer
    /// in between. <paramref name="change"/> returns null when the contract's compare-and-swap fails (nothing is written)
    /// and may be called more than once (a store that detects a concurrent write starts over).
    /// </summary>
    /// <returns>Whether a table was written.</returns>
    protected abstract Task<bool> ChangeAsync(Func<MembershipTableSnapshot, MembershipTableSnapshot?> change, CancellationToken ct);

    // A fresh GUID: never equal to an ETag handed out before, even after the document is deleted and written anew.
    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static List<MembershipRow> Replace(IReadOnlyList<MembershipRow> rows, MembershipRow replacement) =>
        [.. rows.Select(row => row.Entry.Silo == replacement.Entry.Silo ? replacement : row)];
}
