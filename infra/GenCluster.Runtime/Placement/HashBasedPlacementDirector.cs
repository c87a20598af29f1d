using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.Placement;

/// <summary>
/// Rendezvous (highest-random-weight) hashing of the grain id over the active silos: every silo computes the same
/// choice without coordination, and when a silo leaves only its own grains move.
/// </summary>
internal sealed class HashBasedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public PlacementKind Kind => PlacementKind.HashBased;

    /// <inheritdoc />
    public SiloAddress Place(PlacementTarget target, ClusterView view)
    {
        ulong grainHash = StableHash.Compute(target.GrainId.ToString());
        SiloAddress? best = null;
        ulong bestWeight = 0;
        foreach (var entry in view.ActiveSilos)
        {
            if (target.Excluded.Contains(entry.Silo))
            {
                continue;
            }

            ulong weight = StableHash.Combine(grainHash, StableHash.Compute(entry.Silo.ToString()));
            if (best is null || weight > bestWeight)
            {
                best = entry.Silo;
                bestWeight = weight;
            }
        }

        return best ?? throw new SiloUnavailableException($"no active silo can activate {target.GrainId} ({view.ActiveSilos.Count} active, {target.Excluded.Count} shutting down)");
    }
}
