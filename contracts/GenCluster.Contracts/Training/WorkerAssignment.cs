using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>What a worker is told when its experiment starts.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Rank">This worker's rank, 0..W−1.</param>
/// <param name="Plan">The whole plan (sizes, seeds, shard counts).</param>
[GenerateSerializer]
public sealed record WorkerAssignment([Id(0)] string ExperimentId, [Id(1)] int Rank, [Id(2)] TrainingPlan Plan);
