using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>The cluster as one silo last saw it: every row of the membership table, keyed by address.</summary>
/// <param name="Version">The table version this snapshot was read at; versions only grow.</param>
/// <param name="Silos">Every silo with a row, dead ones included.</param>
public sealed record MembershipSnapshot(long Version, IReadOnlyDictionary<SiloAddress, MembershipEntry> Silos)
{
    /// <summary>An empty snapshot (version 0), what an agent shows before its first table read.</summary>
    public static MembershipSnapshot Empty { get; } = new(0, new Dictionary<SiloAddress, MembershipEntry>());

    /// <summary>
    /// The silos whose status is <see cref="SiloStatus.Active"/>, ordered by <see cref="SiloAddressComparer"/>
    /// so that every silo enumerates them in the same order (hash placement depends on that).
    /// </summary>
    public IEnumerable<MembershipEntry> Active =>
        Silos.Values.Where(entry => entry.Status == SiloStatus.Active).OrderBy(entry => entry.Silo, SiloAddressComparer.Instance);

    /// <summary>The status of <paramref name="silo"/>, or <see cref="SiloStatus.None"/> when it has no row.</summary>
    public SiloStatus GetStatus(SiloAddress silo) => Silos.TryGetValue(silo, out var entry) ? entry.Status : SiloStatus.None;

    internal static MembershipSnapshot From(MembershipTableSnapshot table)
    {
        var silos = new Dictionary<SiloAddress, MembershipEntry>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            silos[row.Entry.Silo] = row.Entry;
        }

        return new MembershipSnapshot(table.Version, silos);
    }
}
