namespace GenCluster.Runtime.Placement;

/// <summary>What a placement decision is about.</summary>
/// <param name="GrainId">The grain to place.</param>
/// <param name="Caller">The silo making the call (and the decision).</param>
/// <param name="Excluded">Silos not to choose (they refused new activations: shutting down).</param>
internal sealed record PlacementTarget(GrainId GrainId, SiloAddress? Caller, IReadOnlySet<SiloAddress> Excluded);
