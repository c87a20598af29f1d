using System.Globalization;
using GenCluster.Contracts.Training;
using F = GenCluster.Contracts.Experiments.SpecFieldNames;
using PlanDevice = GenCluster.Contracts.Training.DeviceAddress;
using PlanModel = GenCluster.Contracts.Training.ModelSpec;
using PlanModelFamily = GenCluster.Contracts.Training.ModelFamily;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Turns a valid <see cref="ExperimentSpec"/> into the <see cref="TrainingPlan"/> the distributed engine runs. A spec
/// may ask for more than the engine does yet (SGD, CUDA devices, several MLP hidden layers, …); every such
/// field is refused with its path and why, never ignored (docs/EXPERIMENT-SPEC.md, "Running a spec on the cluster").
/// </summary>
public static class TrainingPlanMapper
{
    /// <summary>The one dataset location the engine reads: each silo's configured Fashion-MNIST directory.</summary>
    private const string EngineDatasetLocation = DatasetSpec.DebianPrefix + ExperimentSpecDefaults.DatasetName;

    /// <summary>The largest step count a <see cref="TrainingPlan"/> accepts.</summary>
    public const long MaxPlanSteps = 10_000_000;

    /// <summary>The largest latent size or network width a <see cref="TrainingPlan"/> accepts.</summary>
    public const int MaxPlanSize = 4_096;

    /// <summary>The plan for <paramref name="spec"/>.</summary>
    /// <param name="spec">A valid spec (e.g. from <see cref="ExperimentSpecLoader"/>).</param>
    /// <param name="advertisedDevices">
    /// For <c>devices: auto</c>: the devices the live silos advertise, as <c>silo/kind:index</c>, in a stable order;
    /// ignored when the spec lists its devices.
    /// </param>
    /// <exception cref="ExperimentSpecException">The spec is invalid, or asks for something the engine does not support; every field is listed.</exception>
    public static TrainingPlan Map(ExperimentSpec spec, IReadOnlyList<string>? advertisedDevices = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new SpecErrorList();
        ExperimentSpecValidator.Validate(spec, errors);
        if (errors.Count > 0)
        {
            throw new ExperimentSpecException(errors.Errors.ToList());
        }

        var plan = Map(spec, advertisedDevices, errors);
        if (plan is null)
        {
            throw new ExperimentSpecException(errors.Errors.ToList());
        }

        return plan;
    }

    /// <summary>Reads a spec file (<see cref="ExperimentSpecLoader.LoadFile(string)"/>) and maps it, reporting unsupported fields with their line and column.</summary>
    /// <param name="path">A <c>.yaml</c>, <c>.yml</c> or <c>.json</c> spec.</param>
    /// <param name="advertisedDevices">For <c>devices: auto</c>: the live silos' devices (see <see cref="Map(ExperimentSpec, IReadOnlyList{string})"/>).</param>
    /// <exception cref="ExperimentSpecException">The spec is malformed, invalid, or asks for what the engine does not support.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (ExperimentSpec Spec, TrainingPlan Plan) LoadFile(string path, IReadOnlyList<string>? advertisedDevices)
    {
        TrainingPlan? plan = null;
        var spec = ExperimentSpecLoader.LoadFile(path, (loaded, errors) => plan = Map(loaded, advertisedDevices, errors));
        return (spec, plan!);
    }

    /// <summary>Reads spec text (<see cref="ExperimentSpecLoader.Load(string, ExperimentSpecFormat)"/>) and maps it, reporting unsupported fields with their line and column.</summary>
    /// <exception cref="ExperimentSpecException">The spec is malformed, invalid, or asks for what the engine does not support.</exception>
    public static (ExperimentSpec Spec, TrainingPlan Plan) Load(string text, ExperimentSpecFormat format, IReadOnlyList<string>? advertisedDevices)
    {
        TrainingPlan? plan = null;
        var spec = ExperimentSpecLoader.Load(text, format, (loaded, errors) => plan = Map(loaded, advertisedDevices, errors));
        return (spec, plan!);
    }

    /// <summary>
    /// Auto placement: <paramref name="worldSize"/> devices taken round-robin over the silos of
    /// <paramref name="advertisedDevices"/> (rank 0 on the first silo's first device, rank 1 on the second silo's first
    /// device, …), so the workers spread over silos before they double up on one. CUDA devices are skipped: the
    /// workers cannot use them yet.
    /// </summary>
    /// <returns>The devices in rank order, or null when there are fewer usable devices than ranks.</returns>
    /// <exception cref="FormatException">An advertised device is not <c>silo/kind:index</c>.</exception>
    public static IReadOnlyList<string>? AssignDevices(int worldSize, IReadOnlyList<string> advertisedDevices)
    {
        ArgumentNullException.ThrowIfNull(advertisedDevices);
        var bySilo = new List<(string Silo, List<string> Devices)>();
        foreach (var text in advertisedDevices)
        {
            var device = DeviceAddress.Parse(text);
            if (device.Kind != DeviceKind.Cpu)
            {
                continue;
            }

            var group = bySilo.FindIndex(g => g.Silo == device.Silo);
            if (group < 0)
            {
                bySilo.Add((device.Silo, []));
                group = bySilo.Count - 1;
            }

            var name = device.ToString();
            if (!bySilo[group].Devices.Contains(name))
            {
                bySilo[group].Devices.Add(name);
            }
        }

        var assigned = new List<string>(worldSize);
        for (var round = 0; assigned.Count < worldSize; round++)
        {
            var before = assigned.Count;
            foreach (var (_, devices) in bySilo)
            {
                if (round < devices.Count && assigned.Count < worldSize)
                {
                    assigned.Add(devices[round]);
                }
            }

            if (assigned.Count == before)
            {
                return null;
            }
        }

        return assigned;
    }

    /// <summary>Adds every field the engine cannot run to <paramref name="errors"/>; the plan when there is none.</summary>
    internal static TrainingPlan? Map(ExperimentSpec spec, IReadOnlyList<string>? advertisedDevices, SpecErrorList errors)
    {
        int before = errors.Count;
        var model = MapModel(spec.Model, errors);
        CheckDataset(spec.Dataset, errors);
        if (spec.Steps > MaxPlanSteps)
        {
            errors.Add(F.Steps, string.Create(CultureInfo.InvariantCulture,
                $"is {spec.Steps:N0}; the cluster runs at most {MaxPlanSteps:N0} steps per experiment"));
        }

        var generatorOptimizer = MapOptimizer(spec.Optimizer.Generator, SpecPath.Field(F.Optimizer, F.Generator), errors);
        var discriminatorOptimizer = MapOptimizer(spec.Optimizer.Discriminator, SpecPath.Field(F.Optimizer, F.Discriminator), errors);
        if (spec.Checkpoints.Interval > MaxPlanSteps)
        {
            errors.Add(SpecPath.Field(F.Checkpoints, F.Interval), string.Create(CultureInfo.InvariantCulture,
                $"is {spec.Checkpoints.Interval:N0}; the cluster checkpoints at most every {MaxPlanSteps:N0} steps (0 turns checkpoints off)"));
        }

        var devices = MapDevices(spec, advertisedDevices, errors);
        if (errors.Count > before || model is null || generatorOptimizer is null || discriminatorOptimizer is null || devices is null)
        {
            return null;
        }

        var plan = new TrainingPlan
        {
            Model = model,
            Dataset = spec.Dataset.Name,
            DatasetSplit = spec.Dataset.Split == DatasetSplit.Test ? F.Test : F.Train,
            BatchPerWorker = spec.BatchSizePerWorker,
            Steps = (int)spec.Steps,
            GeneratorOptimizer = generatorOptimizer,
            DiscriminatorOptimizer = discriminatorOptimizer,
            WorldSize = spec.WorldSize,
            GeneratorShards = spec.Shards.Generator,
            DiscriminatorShards = spec.Shards.Discriminator,
            Seed = (ulong)spec.Seed,
            ThreadsPerWorker = spec.ThreadsPerWorker,
            Devices = [.. devices],
            CheckpointInterval = (int)Math.Min(spec.Checkpoints.Interval, MaxPlanSteps),
            CheckpointsToKeep = spec.Checkpoints.Keep,
        };

        // A rule of the engine that the checks above missed must still reach the user, not be dropped.
        foreach (var problem in plan.Validate())
        {
            errors.Add(string.Empty, "the cluster refuses the plan made from this spec: " + problem);
        }

        return errors.Count > before ? null : plan;
    }

    private static PlanModel? MapModel(ModelSpec model, SpecErrorList errors)
    {
        var generator = SpecPath.Field(F.Model, F.Generator);
        var discriminator = SpecPath.Field(F.Model, F.Discriminator);
        if (model.LatentDim > MaxPlanSize)
        {
            errors.Add(SpecPath.Field(F.Model, F.LatentDim), $"is {model.LatentDim:N0}; the cluster's models take at most {MaxPlanSize:N0}");
        }

        switch (model.Family)
        {
            case ModelFamilies.Dcgan:
                return new PlanModel
                {
                    Family = PlanModelFamily.Dcgan,
                    LatentSize = model.LatentDim,
                    GeneratorWidth = model.Generator.FeatureMaps!.Value,
                    DiscriminatorWidth = model.Discriminator.FeatureMaps!.Value,
                };
            case ModelFamilies.MlpGan:
                var generatorWidth = SingleWidth(model.Generator, generator, errors);
                var discriminatorWidth = SingleWidth(model.Discriminator, discriminator, errors);
                return generatorWidth is null || discriminatorWidth is null
                    ? null
                    : new PlanModel
                    {
                        Family = PlanModelFamily.MlpGan,
                        LatentSize = model.LatentDim,
                        GeneratorWidth = generatorWidth.Value,
                        DiscriminatorWidth = discriminatorWidth.Value,
                    };
            default:
                errors.Add(SpecPath.Field(F.Model, F.Family), $"'{model.Family}' has no implementation on the cluster yet; it trains {ModelFamilies.Dcgan} and {ModelFamilies.MlpGan}");
                return null;
        }
    }

    /// <summary>The cluster's MLP GAN has one hidden layer per network.</summary>
    private static int? SingleWidth(NetworkSpec network, string path, SpecErrorList errors)
    {
        var widths = network.Widths!;
        var widthsPath = SpecPath.Field(path, F.Widths);
        if (widths.Count != 1)
        {
            errors.Add(widthsPath, $"has {widths.Count} hidden layers {widths}; the cluster's {ModelFamilies.MlpGan} has exactly one hidden layer per network, so give one width, e.g. [{widths[0]}]");
            return null;
        }

        if (widths[0] > MaxPlanSize)
        {
            errors.Add(SpecPath.Item(widthsPath, 0), $"is {widths[0]:N0}; the cluster's {ModelFamilies.MlpGan} layers are at most {MaxPlanSize:N0} wide");
            return null;
        }

        return widths[0];
    }

    private static void CheckDataset(DatasetSpec dataset, SpecErrorList errors)
    {
        var defaultDirectory = DatasetSpec.DebianDatasetRoot + "/" + ExperimentSpecDefaults.DatasetName;
        if (dataset.Location != EngineDatasetLocation && dataset.Location.TrimEnd('/') != defaultDirectory)
        {
            errors.Add(SpecPath.Field(F.Dataset, F.Location),
                $"is '{dataset.Location}', but the cluster's workers read Fashion-MNIST from each silo's configured directory "
                + $"(--Training:DatasetDirectory, default {defaultDirectory}); write {EngineDatasetLocation} and configure the silos instead");
        }
    }

    private static AdamSettings? MapOptimizer(OptimizerSpec optimizer, string path, SpecErrorList errors)
    {
        if (optimizer.Type != OptimizerType.Adam)
        {
            errors.Add(SpecPath.Field(path, F.Type),
                $"is {F.Sgd}, but the cluster's parameter shards run Adam only; use type: {F.Adam}, or train-local for SGD");
            return null;
        }

        return new AdamSettings
        {
            LearningRate = optimizer.Lr,
            Beta1 = optimizer.Beta1!.Value,
            Beta2 = optimizer.Beta2!.Value,
            Epsilon = optimizer.Eps!.Value,
            WeightDecay = optimizer.WeightDecay,
        };
    }

    private static IReadOnlyList<string>? MapDevices(ExperimentSpec spec, IReadOnlyList<string>? advertisedDevices, SpecErrorList errors)
    {
        if (spec.Devices is { } listed)
        {
            var ok = true;
            for (var i = 0; i < listed.Count; i++)
            {
                if (listed[i].Kind != DeviceKind.Cpu)
                {
                    errors.Add(SpecPath.Item(F.Devices, i), $"'{listed[i]}' is a CUDA device; the cluster's workers run on CPU devices (cpu:N) only so far");
                    ok = false;
                }
            }

            return ok ? [.. listed.Select(d => PlanDevice.Parse(d.ToString()).ToString())] : null;
        }

        if (advertisedDevices is null)
        {
            errors.Add(F.Devices, "is auto, which needs the devices of the live silos; ask a cluster (gencluster submit does) or list the devices");
            return null;
        }

        IReadOnlyList<string>? assigned;
        try
        {
            assigned = AssignDevices(spec.WorldSize, advertisedDevices);
        }
        catch (FormatException e)
        {
            errors.Add(F.Devices, "is auto, but a silo advertises a device that is not silo/kind:index: " + e.Message);
            return null;
        }

        if (assigned is null)
        {
            var shown = advertisedDevices.Count == 0 ? "none" : string.Join(", ", advertisedDevices);
            errors.Add(F.Devices, string.Create(CultureInfo.InvariantCulture,
                $"is auto, but worldSize {spec.WorldSize} needs {spec.WorldSize} CPU devices and the live silos advertise {shown}; start more silos or devices (gencluster-silo --devices cpu:0,cpu:1), lower worldSize, or list the devices"));
        }

        return assigned;
    }
}
