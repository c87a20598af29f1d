using System.Globalization;
using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// The resolved, validated form of an experiment that the coordinator runs: what to train, on how many
/// workers, with how many parameter shards, on which devices. An experiment spec (YAML/JSON) maps onto it.
/// </summary>
/// <remarks>
/// Rank r of the <see cref="WorldSize"/> workers runs on <see cref="Devices"/>[r] and trains on its slice of the
/// global batch of <see cref="BatchPerWorker"/> × <see cref="WorldSize"/> images per step.
/// </remarks>
[GenerateSerializer]
public sealed record TrainingPlan
{
    /// <summary>Largest gradient bucket: 16 Mi floats (64 MiB), well inside the transport's frame limit.</summary>
    public const int MaxBucketElements = 16 * 1024 * 1024;

    /// <summary>The models.</summary>
    [Id(0)]
    public ModelSpec Model { get; init; } = new();

    /// <summary>The data set; <c>fashion-mnist</c> is the one there is.</summary>
    [Id(1)]
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Which split to train on: <c>train</c> (60,000 images) or <c>test</c> (10,000).</summary>
    [Id(2)]
    public string DatasetSplit { get; init; } = "train";

    /// <summary>Images per worker per step (b); the global batch is b·W.</summary>
    [Id(3)]
    public int BatchPerWorker { get; init; } = 64;

    /// <summary>Optimizer steps (each one D update and one G update).</summary>
    [Id(4)]
    public int Steps { get; init; } = 2000;

    /// <summary>Adam for the generator.</summary>
    [Id(5)]
    public AdamSettings GeneratorOptimizer { get; init; } = new();

    /// <summary>Adam for the discriminator.</summary>
    [Id(6)]
    public AdamSettings DiscriminatorOptimizer { get; init; } = new();

    /// <summary>W, the number of data-parallel workers.</summary>
    [Id(7)]
    public int WorldSize { get; init; } = 1;

    /// <summary>Parameter shards of the generator's flat parameter vector.</summary>
    [Id(8)]
    public int GeneratorShards { get; init; } = 1;

    /// <summary>Parameter shards of the discriminator's flat parameter vector.</summary>
    [Id(9)]
    public int DiscriminatorShards { get; init; } = 1;

    /// <summary>Seeds weight initialisation, the data order and the latent noise.</summary>
    [Id(10)]
    public ulong Seed { get; init; } = 1;

    /// <summary>libtorch intra-op threads of each worker's compute thread.</summary>
    [Id(11)]
    public int ThreadsPerWorker { get; init; } = 1;

    /// <summary>One <c>silo/device</c> per rank (see <see cref="DeviceAddress"/>).</summary>
    [Id(12)]
    public string[] Devices { get; init; } = [];

    /// <summary>Largest gradient bucket in floats; buckets never straddle a shard boundary.</summary>
    [Id(13)]
    public int BucketElements { get; init; } = 1024 * 1024;

    /// <summary>How long every rank together may take for one step before the step fails.</summary>
    [Id(14)]
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Steps between checkpoints (0: none). With checkpoints, a lost worker or coordinator silo no longer fails the
    /// experiment: it resumes from the newest valid checkpoint on the live silos (docs/CHECKPOINTS.md).
    /// </summary>
    [Id(15)]
    public int CheckpointInterval { get; init; }

    /// <summary>How many of the newest committed checkpoints are kept; older ones are deleted after a new one commits.</summary>
    [Id(16)]
    public int CheckpointsToKeep { get; init; } = 3;

    /// <summary>The shard count of <paramref name="role"/>'s model.</summary>
    public int ShardsOf(ModelRole role) => role == ModelRole.Generator ? GeneratorShards : DiscriminatorShards;

    /// <summary>The optimizer settings of <paramref name="role"/>'s model.</summary>
    public AdamSettings OptimizerOf(ModelRole role) => role == ModelRole.Generator ? GeneratorOptimizer : DiscriminatorOptimizer;

    /// <summary>Every problem with this plan, each prefixed with the path of the offending field (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string path, string message)
        {
            if (!ok)
            {
                errors.Add($"{path}: {message}");
            }
        }

        if (Model is null)
        {
            errors.Add("model: required");
        }
        else
        {
            Check(Enum.IsDefined(Model.Family), "model.family", $"{(int)Model.Family} is not a known family (dcgan, mlp-gan)");
            Check(Model.LatentSize is >= 1 and <= 4096, "model.latentSize", $"{Model.LatentSize} is not in 1..4096");
            Check(Model.GeneratorWidth is >= 1 and <= 4096, "model.generatorWidth", $"{Model.GeneratorWidth} is not in 1..4096");
            Check(Model.DiscriminatorWidth is >= 1 and <= 4096, "model.discriminatorWidth", $"{Model.DiscriminatorWidth} is not in 1..4096");
        }

        Check(Dataset == "fashion-mnist", "dataset", $"'{Dataset}' is not a known data set (fashion-mnist)");
        Check(DatasetSplit is "train" or "test", "datasetSplit", $"'{DatasetSplit}' is not a split (train, test)");

        // BatchNorm needs more than one value per channel in training.
        var minBatch = Model?.Family == ModelFamily.Dcgan ? 2 : 1;
        Check(BatchPerWorker >= minBatch && BatchPerWorker <= 65_536, "batchPerWorker", $"{BatchPerWorker} is not in {minBatch}..65536");
        Check(Steps is >= 1 and <= 10_000_000, "steps", $"{Steps} is not in 1..10000000");
        CheckAdam(GeneratorOptimizer, "generatorOptimizer");
        CheckAdam(DiscriminatorOptimizer, "discriminatorOptimizer");
        Check(WorldSize is >= 1 and <= 1024, "worldSize", $"{WorldSize} is not in 1..1024");
        Check(GeneratorShards is >= 1 and <= 4096, "generatorShards", $"{GeneratorShards} is not in 1..4096");
        Check(DiscriminatorShards is >= 1 and <= 4096, "discriminatorShards", $"{DiscriminatorShards} is not in 1..4096");
        Check(ThreadsPerWorker is >= 1 and <= 256, "threadsPerWorker", $"{ThreadsPerWorker} is not in 1..256");
        Check(BucketElements is >= 1 and <= MaxBucketElements, "bucketElements", $"{BucketElements} is not in 1..{MaxBucketElements}");
        Check(CheckpointInterval is >= 0 and <= 10_000_000, "checkpointInterval", $"{CheckpointInterval} is not in 0..10000000");
        Check(CheckpointsToKeep is >= 1 and <= 1000, "checkpointsToKeep", $"{CheckpointsToKeep} is not in 1..1000");
        Check(StepTimeout > TimeSpan.Zero && StepTimeout <= TimeSpan.FromHours(1), "stepTimeout", $"{StepTimeout} is not in (0, 1 h]");

        if (Devices is null)
        {
            errors.Add("devices: required, one silo/device per rank");
        }
        else
        {
            Check(Devices.Length == WorldSize, "devices", $"{Devices.Length} devices for a world of {WorldSize}; give one silo/device per rank");
            for (var i = 0; i < Devices.Length; i++)
            {
                try
                {
                    DeviceAddress.Parse(Devices[i] ?? string.Empty);
                }
                catch (FormatException e)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"devices[{i}]: {e.Message}"));
                }
            }
        }

        return errors;

        void CheckAdam(AdamSettings? adam, string path)
        {
            if (adam is null)
            {
                errors.Add($"{path}: required");
                return;
            }

            Check(adam.LearningRate > 0 && double.IsFinite(adam.LearningRate), $"{path}.learningRate", $"{adam.LearningRate} must be positive");
            Check(adam.Beta1 is >= 0 and < 1, $"{path}.beta1", $"{adam.Beta1} is not in [0, 1)");
            Check(adam.Beta2 is >= 0 and < 1, $"{path}.beta2", $"{adam.Beta2} is not in [0, 1)");
            Check(adam.Epsilon > 0 && double.IsFinite(adam.Epsilon), $"{path}.epsilon", $"{adam.Epsilon} must be positive");
            Check(adam.WeightDecay >= 0 && double.IsFinite(adam.WeightDecay), $"{path}.weightDecay", $"{adam.WeightDecay} must not be negative");
        }
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems, listing all of them.</summary>
    /// <exception cref="ArgumentException">The plan is invalid (a type every caller rebuilds across the wire).</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid training plan:\n  " + string.Join("\n  ", errors));
        }
    }
}
