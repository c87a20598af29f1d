using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.Invocation;

namespace GenCluster.Runtime.Placement;

/// <summary>Chooses where a grain without an activation gets one, by its class's <see cref="PlacementKind"/>.</summary>
internal sealed class PlacementService
{
    private readonly Dictionary<PlacementKind, IPlacementDirector> _directors;
    private readonly ClusterMembership _membership;

    /// <summary>Creates the service over the registered directors.</summary>
    public PlacementService(IEnumerable<IPlacementDirector> directors, ClusterMembership membership)
    {
        _directors = directors.ToDictionary(d => d.Kind);
        _membership = membership;
    }

    /// <summary>The silo that should activate <paramref name="grainId"/>.</summary>
    /// <exception cref="SiloUnavailableException">No suitable silo is active (for pinned grains: the named silo is not).</exception>
    public SiloAddress Place(GrainId grainId, SiloAddress? caller, IReadOnlySet<SiloAddress> excluded)
    {
        // A type this silo does not know is placed by hash; the chosen silo reports the unknown type to the caller.
        var kind = GrainCodeRegistry.FindGrainType(grainId.Type)?.Placement ?? PlacementKind.HashBased;
        if (!_directors.TryGetValue(kind, out var director))
        {
            throw new NotSupportedException($"no placement director for {kind}");
        }

        return director.Place(new PlacementTarget(grainId, caller, excluded), _membership.Current);
    }
}
