using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// One experiment as a user submits it: what to train, on what data, with how many workers and shards.
/// Immutable, compared by value, and serializable as a grain-call argument. Specs read by
/// <see cref="ExperimentSpecLoader"/> have every default filled in and have passed <see cref="ExperimentSpecValidator"/>;
/// a spec built in code should be checked with <see cref="ExperimentSpecValidator.EnsureValid"/> before use.
/// docs/EXPERIMENT-SPEC.md describes every field, its default and its limits.
/// </summary>
/// <param name="Name">Names the experiment in grain keys (<c>name/G/3</c>) and checkpoints: 1 to 64 letters, digits, '.', '_' or '-'.</param>
/// <param name="Model">Model family and sizes.</param>
/// <param name="Dataset">Where every silo finds the training data.</param>
/// <param name="BatchSize">Global batch size: images per step summed over all workers.</param>
/// <param name="Steps">Optimizer steps to run (each one discriminator and one generator update).</param>
/// <param name="Optimizer">The optimizer of each network.</param>
/// <param name="WorldSize">Number of data-parallel workers.</param>
/// <param name="Shards">Number of parameter shards of each network.</param>
/// <param name="Checkpoints">How often to checkpoint and how many checkpoints to keep.</param>
/// <param name="Seed">The master seed every random stream derives from (docs/EXPERIMENT-SPEC.md, "Seeds").</param>
/// <param name="ThreadsPerWorker">Intra-op threads of each worker's compute thread.</param>
/// <param name="Devices">One device per worker, in rank order; <see langword="null"/> lets the coordinator choose (<c>auto</c>).</param>
[GenerateSerializer]
public sealed record ExperimentSpec(
    [Id(0)] string Name,
    [Id(1)] ModelSpec Model,
    [Id(2)] DatasetSpec Dataset,
    [Id(3)] int BatchSize,
    [Id(4)] long Steps,
    [Id(5)] GanPair<OptimizerSpec> Optimizer,
    [Id(6)] int WorldSize,
    [Id(7)] GanPair<int> Shards,
    [Id(8)] CheckpointSpec Checkpoints,
    [Id(9)] long Seed,
    [Id(10)] int ThreadsPerWorker,
    [Id(11)] ValueList<DeviceAddress>? Devices)
{
    /// <summary>A spec with every optional field at its default (docs/EXPERIMENT-SPEC.md).</summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="model">The model, e.g. <see cref="ModelSpec.ForFamily"/>.</param>
    public static ExperimentSpec Create(string name, ModelSpec model) => new(
        name,
        model,
        DatasetSpec.Default,
        ExperimentSpecDefaults.BatchSize,
        ExperimentSpecDefaults.Steps,
        new GanPair<OptimizerSpec>(OptimizerSpec.GanDefault, OptimizerSpec.GanDefault),
        ExperimentSpecDefaults.WorldSize,
        new GanPair<int>(ExperimentSpecDefaults.Shards, ExperimentSpecDefaults.Shards),
        CheckpointSpec.Default,
        ExperimentSpecDefaults.Seed,
        ExperimentSpecDefaults.ThreadsPerWorker,
        Devices: null);

    /// <summary>Images each worker takes per step: <see cref="BatchSize"/> / <see cref="WorldSize"/>.</summary>
    public int BatchSizePerWorker => WorldSize > 0 ? BatchSize / WorldSize : 0;
}
