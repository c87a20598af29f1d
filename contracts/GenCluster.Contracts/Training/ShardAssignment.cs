using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>The slice of one model's flat parameter vector a shard owns, and how it is updated.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Role">Which model.</param>
/// <param name="Shard">The shard's index.</param>
/// <param name="Offset">First element of the slice in the flat vector.</param>
/// <param name="Length">Elements in the slice.</param>
/// <param name="BucketLengths">The slice cut into gradient buckets, in order; they sum to <paramref name="Length"/>.</param>
/// <param name="WorldSize">W: contributions to wait for per bucket and step.</param>
/// <param name="Optimizer">Adam's hyperparameters.</param>
/// <param name="FirstStep">The step the next gradients belong to.</param>
/// <param name="Update">What the shard does with a bucket's W contributions: Adam (training) or the plain sum.</param>
[GenerateSerializer]
public sealed record ShardAssignment(
    [Id(0)] string ExperimentId,
    [Id(1)] ModelRole Role,
    [Id(2)] int Shard,
    [Id(3)] long Offset,
    [Id(4)] int Length,
    [Id(5)] int[] BucketLengths,
    [Id(6)] int WorldSize,
    [Id(7)] AdamSettings Optimizer,
    [Id(8)] long FirstStep,
    [Id(9)] ShardUpdate Update = ShardUpdate.Adam);
