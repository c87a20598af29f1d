using System.Collections.Concurrent;
using GenCluster.Runtime;

namespace GenCluster.Membership.Tests.Support;

/// <summary>Passes everything to an in-memory table and remembers each status a silo's row was successfully written with.</summary>
public sealed class RecordingMembershipTable : IMembershipTable
{
    private readonly InMemoryMembershipTable _inner = new();
    private readonly ConcurrentQueue<(SiloAddress Silo, SiloStatus Status)> _writes = new();

    /// <summary>The statuses written into <paramref name="silo"/>'s row, in order.</summary>
    public IReadOnlyList<SiloStatus> StatusesWritten(SiloAddress silo) =>
        [.. _writes.Where(write => write.Silo == silo).Select(write => write.Status)];

    public Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct) => _inner.ReadAllAsync(ct);

    public async Task<bool> InsertRowAsync(MembershipEntry entry, long expectedTableVersion, CancellationToken ct)
    {
        var inserted = await _inner.InsertRowAsync(entry, expectedTableVersion, ct);
        if (inserted)
        {
            _writes.Enqueue((entry.Silo, entry.Status));
        }

        return inserted;
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, long expectedTableVersion, CancellationToken ct)
    {
        var updated = await _inner.UpdateRowAsync(entry, etag, expectedTableVersion, ct);
        if (updated)
        {
            _writes.Enqueue((entry.Silo, entry.Status));
        }

        return updated;
    }

    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken ct) => _inner.UpdateIAmAliveAsync(silo, time, ct);
}
