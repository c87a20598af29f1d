using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.Placement;

/// <summary>
/// Activates the grain only on the silo its key names: the key's first '/'-segment is the silo name
/// (<c>silo-1/cpu:0</c> lives on <c>silo-1</c>). GPU workers use it to stay with their device.
/// </summary>
internal sealed class PinnedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public PlacementKind Kind => PlacementKind.Pinned;

    /// <summary>The silo name a pinned grain's key names.</summary>
    public static string SiloNameOf(GrainId grainId)
    {
        int slash = grainId.Key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? grainId.Key : grainId.Key[..slash];
    }

    /// <inheritdoc />
    public SiloAddress Place(PlacementTarget target, ClusterView view)
    {
        string siloName = SiloNameOf(target.GrainId);
        var silo = view.FindActiveByName(siloName)?.Silo;
        if (silo is null || target.Excluded.Contains(silo.Value))
        {
            string active = string.Join(", ", view.ActiveSilos.Select(e => e.SiloName));
            throw new SiloUnavailableException(
                $"{target.GrainId} is pinned to silo '{siloName}', which is not an active member of the cluster (active silos: {(active.Length == 0 ? "none" : active)})");
        }

        return silo.Value;
    }
}
