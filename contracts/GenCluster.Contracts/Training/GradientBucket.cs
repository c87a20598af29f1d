using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// One rank's gradients for one bucket of one shard in one step (DESIGN.md §5: a tensor plus
/// <c>(experiment, model, step, bucket, shard)</c> headers). <see cref="Gradients"/> travels as a MessagePack tensor.
/// </summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Role">Which model.</param>
/// <param name="Step">The step.</param>
/// <param name="Bucket">The bucket's index within its shard.</param>
/// <param name="Shard">The shard's index.</param>
/// <param name="Rank">The sending rank.</param>
/// <param name="Gradients">
/// ∂loss/∂θ over the bucket's elements, on the sender's batch: a view, so the sender sends it from its own buffer (leave
/// it unchanged until the push completes) and the shard reads it in the received frame (valid while the push runs).
/// </param>
[GenerateSerializer]
public sealed record GradientBucket(
    [Id(0)] string ExperimentId,
    [Id(1)] ModelRole Role,
    [Id(2)] long Step,
    [Id(3)] int Bucket,
    [Id(4)] int Shard,
    [Id(5)] int Rank,
    [Id(6)] TensorView<float> Gradients);
