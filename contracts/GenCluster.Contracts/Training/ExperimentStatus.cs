using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>A snapshot of an experiment, as its coordinator sees it.</summary>
/// <param name="ExperimentId">The coordinator's key.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="CompletedSteps">Steps whose D and G updates every rank has applied.</param>
/// <param name="TotalSteps">Steps in the plan (0 before submission).</param>
/// <param name="Reason">Why it failed or was cancelled; null otherwise.</param>
/// <param name="CoordinatorSilo">The silo hosting the coordinator.</param>
/// <param name="Workers">The worker grain key of each rank, in rank order.</param>
/// <param name="UpdatedAt">When the state last changed.</param>
[GenerateSerializer]
public sealed record ExperimentStatus(
    [Id(0)] string ExperimentId,
    [Id(1)] ExperimentState State,
    [Id(2)] long CompletedSteps,
    [Id(3)] long TotalSteps,
    [Id(4)] string? Reason,
    [Id(5)] string CoordinatorSilo,
    [Id(6)] string[] Workers,
    [Id(7)] DateTimeOffset UpdatedAt);
