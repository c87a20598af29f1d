using GenCluster.Membership;

namespace GenCluster.Runtime.Cluster;

/// <summary>
/// An immutable picture of the cluster taken from one membership snapshot: the active silos (where grains may be
/// placed and directory partitions live), who is dead, and the directory ring.
/// </summary>
internal sealed class ClusterView
{
    private readonly IReadOnlyDictionary<SiloAddress, MembershipEntry> _silos;

    private ClusterView(long version, IReadOnlyDictionary<SiloAddress, MembershipEntry> silos)
    {
        Version = version;
        _silos = silos;
        ActiveSilos = silos.Values
            .Where(e => e.Status == SiloStatus.Active)
            .OrderBy(e => e.Silo.ToString(), StringComparer.Ordinal)
            .ToArray();
        Ring = new ConsistentHashRing(ActiveSilos.Select(e => e.Silo));
    }

    /// <summary>A view with no silos (before the first membership snapshot).</summary>
    public static ClusterView Empty { get; } = new(-1, new Dictionary<SiloAddress, MembershipEntry>());

    /// <summary>The membership table version this view was taken from.</summary>
    public long Version { get; }

    /// <summary>Active silos, ordered by address (the same order on every silo).</summary>
    public IReadOnlyList<MembershipEntry> ActiveSilos { get; }

    /// <summary>The directory ring over <see cref="ActiveSilos"/>.</summary>
    public ConsistentHashRing Ring { get; }

    /// <summary>Takes a view of <paramref name="snapshot"/>.</summary>
    public static ClusterView From(MembershipSnapshot snapshot) => new(snapshot.Version, snapshot.Silos);

    /// <summary>Whether <paramref name="silo"/> is an active member.</summary>
    public bool IsActive(SiloAddress silo) => _silos.TryGetValue(silo, out var entry) && entry.Status == SiloStatus.Active;

    /// <summary>
    /// Whether <paramref name="silo"/> is known to be gone: declared dead, or superseded by a newer incarnation on
    /// the same endpoint. A silo the table has not seen yet is not dead (it may be joining).
    /// </summary>
    public bool IsDead(SiloAddress silo)
    {
        if (_silos.TryGetValue(silo, out var entry))
        {
            return entry.Status == SiloStatus.Dead;
        }

        return _silos.Keys.Any(other => other.Host == silo.Host && other.Port == silo.Port && other.Generation > silo.Generation);
    }

    /// <summary>The status of <paramref name="silo"/>, or <see cref="SiloStatus.None"/> when unknown.</summary>
    public SiloStatus StatusOf(SiloAddress silo) => _silos.TryGetValue(silo, out var entry) ? entry.Status : SiloStatus.None;

    /// <summary>The active silo named <paramref name="siloName"/>, if any.</summary>
    public MembershipEntry? FindActiveByName(string siloName) =>
        ActiveSilos.FirstOrDefault(e => string.Equals(e.SiloName, siloName, StringComparison.Ordinal));

    /// <summary>Silos that were not dead in <paramref name="previous"/> and are dead in this view.</summary>
    public IEnumerable<SiloAddress> NewlyDead(ClusterView previous) =>
        _silos.Values.Where(e => e.Status == SiloStatus.Dead && !previous.IsDead(e.Silo)).Select(e => e.Silo);
}
