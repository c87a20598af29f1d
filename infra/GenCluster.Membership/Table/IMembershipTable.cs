using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// The cluster's shared, versioned record of its silos. Every status change is a compare-and-swap on both
/// the row's ETag and the table's version, so concurrent writers never overwrite each other: the loser gets
/// <see langword="false"/>, re-reads and decides again. Heartbeats are the one cheap, unversioned write.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Reads every row and the table version in one consistent snapshot.</summary>
    /// <exception cref="MembershipTableCorruptedException">The stored table cannot be understood.</exception>
    Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct);

    /// <summary>
    /// Adds a row for <paramref name="entry"/>'s silo if the table is still at <paramref name="expectedTableVersion"/>
    /// and has no row for that silo; bumps the version.
    /// </summary>
    /// <returns><see langword="false"/> when the version moved on or the row exists: the caller re-reads.</returns>
    Task<bool> InsertRowAsync(MembershipEntry entry, long expectedTableVersion, CancellationToken ct);

    /// <summary>
    /// Replaces the row of <paramref name="entry"/>'s silo if its ETag is still <paramref name="etag"/> and the
    /// table is still at <paramref name="expectedTableVersion"/>; gives the row a new ETag and bumps the version.
    /// </summary>
    /// <returns><see langword="false"/> when either moved on or the row does not exist: the caller re-reads.</returns>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, long expectedTableVersion, CancellationToken ct);

    /// <summary>
    /// Records a heartbeat: sets the row's <see cref="MembershipEntry.IAmAliveTime"/> without a version bump.
    /// The row gets a new ETag, so a concurrent compare-and-swap built on the old row retries rather than
    /// writing back an older heartbeat.
    /// </summary>
    /// <exception cref="InvalidOperationException">The silo has no row.</exception>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken ct);
}
