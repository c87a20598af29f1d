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
    /// <exception cref="InvalidOperationException">Wrong experiment, step or bucket, a rank sent twice, or the step was aborted.</exception>
    Task<float[]> PushGradients(GradientBucket bucket);

    /// <summary>The slice's current parameters.</summary>
    Task<float[]> GetParameters();

    /// <summary>Fails every push waiting in the current step with <paramref name="reason"/> and forgets the partial sums.</summary>
    Task AbortStep(string reason);

    /// <summary>Where the shard runs and whether it is initialized.</summary>
    Task<GrainHealth> Ping();
}
