using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// Chooses which silos a silo probes: its successors on a ring of the active silos' sorted addresses. Every
/// silo computes the same ring, so each active silo is probed by its predecessors and probing load is spread
/// evenly rather than everyone probing the same few silos.
/// </summary>
internal static class ProbeTargetRing
{
    /// <summary>
    /// The up to <paramref name="count"/> silos following <paramref name="self"/> on the ring of
    /// <paramref name="activeSilos"/> (with <paramref name="self"/> placed on it even when not active yet).
    /// </summary>
    public static IReadOnlyList<SiloAddress> SelectTargets(IEnumerable<SiloAddress> activeSilos, SiloAddress self, int count)
    {
        var ring = activeSilos.Append(self).Distinct().Order(SiloAddressComparer.Instance).ToList();
        var position = ring.IndexOf(self);
        var targets = new List<SiloAddress>(Math.Min(count, ring.Count - 1));
        for (var step = 1; step < ring.Count && targets.Count < count; step++)
        {
            targets.Add(ring[(position + step) % ring.Count]);
        }

        return targets;
    }
}
