using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.Placement;

/// <summary>Activates the grain on the calling silo when it is active, else falls back to hash-based placement.</summary>
internal sealed class PreferLocalPlacementDirector : IPlacementDirector
{
    private readonly HashBasedPlacementDirector _fallback = new();

    /// <inheritdoc />
    public PlacementKind Kind => PlacementKind.PreferLocal;

    /// <inheritdoc />
    public SiloAddress Place(PlacementTarget target, ClusterView view) =>
        target.Caller is { } caller && view.IsActive(caller) && !target.Excluded.Contains(caller)
            ? caller
            : _fallback.Place(target, view);
}
