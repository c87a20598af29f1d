namespace GenCluster.Runtime.Activation;

/// <summary>A freshly constructed grain and the persistent states injected into it (read before activation).</summary>
/// <param name="Grain">The grain object.</param>
/// <param name="States">Its <c>[PersistentState]</c> parameters.</param>
internal sealed record GrainInstance(object Grain, IReadOnlyList<IGrainStateLoader> States);
