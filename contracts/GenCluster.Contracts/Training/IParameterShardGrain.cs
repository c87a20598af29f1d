using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// Owns a contiguous slice of one model's flat parameter vector with its Adam state (ZeRO stage 1; key from
/// <see cref="TrainingKeys.Shard"/>). For each step and bucket it waits for all W ranks' gradients, averages them in
/// rank order, updates, and answers every rank with the new parameters (reduce-scatter, then all-gather).
/// </summary>
public interface IParameterShardGrain : IGrainWithStringKey
{
    /// <summary>Takes ownership of a slice with its initial values.</summary>
    /// <exception cref="ArgumentException">The assignment is inconsistent or <paramref name="parameters"/> has the wrong length.</exception>
    Task<GrainHealth> Initialize(ShardAssignment assignment, float[] parameters);

    /// <summary>
    /// Adds one rank's gradients for one bucket and step; completes, for every rank, once all W have arrived and the
    /// bucket is updated, with the bucket's new parameters.
    /// </summary>
    /// <remarks>
    /// The shard sums the gradients straight from the received frames (<see cref="GradientBucket.Gradients"/> is a
    /// <see cref="TensorView{T}"/>). The answer is one block of memory shared by the W replies, which the shard leaves
    /// unchanged until every rank has it, so it is sent by reference (<see cref="ResultByReferenceAttribute"/>) instead of
    /// being copied once per rank. The caller receives it straight into <paramref name="answer"/> when it gives one
    /// (<see cref="TensorDestination{T}"/>, the bucket's length), else as a view over the reply frame: copy it where it
    /// belongs and dispose it, which gives the frame back to the pool.
    /// </remarks>
    /// <param name="bucket">The rank's gradients and where they belong.</param>
    /// <param name="answer">Where the caller wants the new values; never travels (the shard sees the default).</param>
    /// <exception cref="InvalidOperationException">Wrong experiment, step or bucket, a rank sent twice, or the step was aborted.</exception>
    [ResultByReference]
    Task<TensorView<float>> PushGradients(GradientBucket bucket, TensorDestination<float> answer = default);

    /// <summary>The slice's current parameters.</summary>
    Task<float[]> GetParameters();

    /// <summary>Fails every push waiting in the current step with <paramref name="reason"/> and forgets the partial sums.</summary>
    Task AbortStep(string reason);

    /// <summary>
    /// Writes the slice — parameters, Adam state and step — as one object named <paramref name="objectName"/> in the
    /// silo's checkpoint store. Called between steps, when every bucket has been updated for <paramref name="step"/> steps.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard is not between steps at <paramref name="step"/>, or the silo has no checkpoint store.</exception>
    Task<CheckpointObject> WriteCheckpoint(string objectName, long step);

    /// <summary>
    /// Replaces whatever the shard holds with the slice stored as <paramref name="checkpoint"/> (verified against its
    /// SHA-256); pushes waiting in an unfinished step fail. The next gradients belong to the checkpoint's step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The object is missing, damaged, or does not match <paramref name="assignment"/>.</exception>
    Task<GrainHealth> Restore(ShardAssignment assignment, CheckpointObject checkpoint);

    /// <summary>Where the shard runs and whether it is initialized.</summary>
    Task<GrainHealth> Ping();
}
