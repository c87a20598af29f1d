using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.Placement;

/// <summary>Chooses the silo for a new activation, for one <see cref="PlacementKind"/>.</summary>
internal interface IPlacementDirector
{
    /// <summary>The strategy this director implements.</summary>
    PlacementKind Kind { get; }

    /// <summary>The silo that should activate <paramref name="target"/>'s grain.</summary>
    /// <exception cref="SiloUnavailableException">No suitable silo is active.</exception>
    SiloAddress Place(PlacementTarget target, ClusterView view);
}
