using System.Globalization;
using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// A membership table held in this process: for one-process clusters (<c>--dev</c>) and tests, where every
/// silo's agent shares the one instance. Thread-safe; ETags are counters.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private readonly List<MembershipRow> _rows = [];
    private long _version;
    private long _lastETag;

    /// <inheritdoc />
    public Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(new MembershipTableSnapshot(_version, [.. _rows]));
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedTableVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ct.ThrowIfCancellationRequested();
        var frozen = entry.Freeze();
        lock (_lock)
        {
            if (_version != expectedTableVersion || IndexOf(frozen.Silo) >= 0)
            {
                return Task.FromResult(false);
            }

            _rows.Add(new MembershipRow(frozen, NextETag()));
            _version++;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, long expectedTableVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(etag);
        ct.ThrowIfCancellationRequested();
        var frozen = entry.Freeze();
        lock (_lock)
        {
            var index = IndexOf(frozen.Silo);
            if (_version != expectedTableVersion || index < 0 || _rows[index].ETag != etag)
            {
                return Task.FromResult(false);
            }

            _rows[index] = new MembershipRow(frozen, NextETag());
            _version++;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var index = IndexOf(silo);
            if (index < 0)
            {
                throw new InvalidOperationException($"silo {silo} has no row in the membership table");
            }

            _rows[index] = new MembershipRow(_rows[index].Entry with { IAmAliveTime = time }, NextETag());
            return Task.CompletedTask;
        }
    }

    private int IndexOf(SiloAddress silo) => _rows.FindIndex(row => row.Entry.Silo == silo);

    private string NextETag() => (++_lastETag).ToString(CultureInfo.InvariantCulture);
}
