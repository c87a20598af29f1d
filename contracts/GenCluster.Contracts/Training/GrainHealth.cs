using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>Where a training grain runs and whether it holds its experiment's state.</summary>
/// <param name="SiloName">The silo hosting the activation.</param>
/// <param name="ActivationId">Identifies the activation, so a re-activation elsewhere (state lost) is visible.</param>
/// <param name="Ready">Whether the grain was initialized for its experiment.</param>
[GenerateSerializer]
public sealed record GrainHealth([Id(0)] string SiloName, [Id(1)] string ActivationId, [Id(2)] bool Ready);
