using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>What a parameter shard does with a bucket once all W ranks' contributions have arrived.</summary>
[GenerateSerializer]
public enum ShardUpdate
{
    /// <summary>Average the contributions and take an Adam step on the slice (training).</summary>
    Adam = 0,

    /// <summary>
    /// Answer the rank-order sum, which <see cref="IParameterShardGrain.GetParameters"/> then returns for the bucket: a plain all-reduce (sum) through the same reduce-scatter /
    /// all-gather path, which the all-reduce benchmark measures and verifies.
    /// </summary>
    Sum = 1,
}
