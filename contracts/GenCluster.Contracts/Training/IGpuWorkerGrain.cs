using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// One data-parallel rank, pinned to its <c>silo/device</c> (key from <see cref="TrainingKeys.Worker"/>). It holds
/// a replica of G and D, computes gradients on its slice of each global batch on the device's compute thread,
/// reduce-scatters them to the parameter shards and applies the parameters they all-gather back.
/// </summary>
public interface IGpuWorkerGrain : IGrainWithStringKey
{
    /// <summary>Builds both models (seeded) and loads the data set on this worker's device.</summary>
    /// <exception cref="InvalidOperationException">The silo does not offer the device.</exception>
    Task<WorkerReady> Initialize(WorkerAssignment assignment);

    /// <summary>
    /// Sends this worker's freshly initialized parameters to the shards it owns (shard s of each model belongs to rank
    /// s mod W; every rank builds the same seeded models, so together the ranks seed the one initialization).
    /// </summary>
    Task SeedShards();

    /// <summary>Replaces this worker's parameters with the shards' current ones (all-gather).</summary>
    Task PullParameters();

    /// <summary>Runs step <paramref name="step"/>: D's gradients out and new D in, then G's gradients out and new G in.</summary>
    Task<WorkerStepReport> RunStep(long step);

    /// <summary>
    /// A copy of this rank's running statistics of <paramref name="role"/>'s model (BatchNorm running means and
    /// variances, flattened): state each rank keeps for itself, outside the shards.
    /// </summary>
    Task<float[]> GetRunningStatistics(ModelRole role);

    /// <summary>Where the worker runs and whether it is initialized; answers while a step runs.</summary>
    [AlwaysInterleave]
    Task<GrainHealth> Ping();

    /// <summary>Frees the models and deactivates the worker.</summary>
    Task Release();
}
