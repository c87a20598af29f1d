using GenCluster.Contracts.Experiments.Binding;
using GenCluster.Contracts.Experiments.Families;
using F = GenCluster.Contracts.Experiments.SpecFieldNames;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Checks a spec against the limits and rules of docs/EXPERIMENT-SPEC.md and reports every violation at once, each with
/// the path of the field it concerns. Grains should validate specs they receive: a spec built in code, or sent by an
/// older client, never went through <see cref="ExperimentSpecLoader"/>.
/// </summary>
public static class ExperimentSpecValidator
{
    /// <summary>Every problem of <paramref name="spec"/>; empty when it is valid.</summary>
    public static IReadOnlyList<SpecError> Validate(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new SpecErrorList();
        Validate(spec, errors);
        return errors.Errors.ToList();
    }

    /// <summary>Throws when <paramref name="spec"/> is invalid.</summary>
    /// <exception cref="ExperimentSpecException">The spec is invalid; <see cref="ExperimentSpecException.Errors"/> lists why.</exception>
    public static void EnsureValid(ExperimentSpec spec)
    {
        var errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new ExperimentSpecException(errors);
        }
    }

    /// <summary>Adds the problems of <paramref name="spec"/> to <paramref name="errors"/>, skipping fields already reported as unreadable.</summary>
    internal static void Validate(ExperimentSpec spec, SpecErrorList errors)
    {
        ValidateName(spec.Name, errors);
        var model = ValidateModel(spec.Model, errors);
        var dataset = ValidateDataset(spec.Dataset, model, errors);

        Range(errors, F.BatchSize, spec.BatchSize, 1, ExperimentSpecLimits.MaxBatchSize);
        Range(errors, F.Steps, spec.Steps, 1, ExperimentSpecLimits.MaxSteps);
        Range(errors, F.WorldSize, spec.WorldSize, 1, ExperimentSpecLimits.MaxWorldSize);
        ValidateBatchSplit(spec, model?.Family, dataset, errors);

        ValidateOptimizers(spec.Optimizer, errors);
        ValidateShards(spec.Shards, model, errors);
        ValidateCheckpoints(spec.Checkpoints, errors);
        Range(errors, F.Seed, spec.Seed, 0, long.MaxValue);
        Range(errors, F.ThreadsPerWorker, spec.ThreadsPerWorker, 1, ExperimentSpecLimits.MaxThreadsPerWorker);
        ValidateDevices(spec.Devices, spec.WorldSize, errors);
    }

    private static void ValidateName(string? name, SpecErrorList errors)
    {
        if (!errors.Usable(F.Name))
        {
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            errors.Add(F.Name, "is required: 1 to 64 letters, digits, '.', '_' or '-'");
        }
        else if (!SpecNames.IsValid(name, ExperimentSpecLimits.MaxNameLength))
        {
            errors.Add(F.Name, $"must be 1 to {ExperimentSpecLimits.MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit, "
                + $"because it becomes part of grain keys and checkpoint paths; got '{Shorten(name)}' ({name.Length} characters)");
        }
    }

    /// <summary>Checks the model; returns it with its family and parameter counts when it is entirely valid.</summary>
    private static CheckedModel? ValidateModel(ModelSpec? model, SpecErrorList errors)
    {
        if (!errors.Usable(F.Model) && model is null)
        {
            return null;
        }

        if (model is null)
        {
            errors.Add(F.Model, $"is required, with at least a {F.Family} ({string.Join(" or ", ModelFamilies.Names)})");
            return null;
        }

        int before = errors.Count;
        string familyPath = SpecPath.Field(F.Model, F.Family);
        var family = ModelFamily.Find(model.Family);
        if (family is null && errors.Usable(familyPath))
        {
            string hint = model.Family is null ? string.Empty : KeySuggestions.Hint(model.Family, ModelFamilies.Names);
            errors.Add(familyPath, $"unknown model family '{Shorten(model.Family ?? string.Empty)}'{hint}; the families are {string.Join(", ", ModelFamilies.Names)}");
        }

        Range(errors, SpecPath.Field(F.Model, F.LatentDim), model.LatentDim, 1, ExperimentSpecLimits.MaxLatentDim);
        Range(errors, SpecPath.Field(F.Model, F.ImageSize), model.ImageSize, 1, ExperimentSpecLimits.MaxImageSize);
        Range(errors, SpecPath.Field(F.Model, F.Channels), model.Channels, 1, ExperimentSpecLimits.MaxChannels);
        Required(errors, SpecPath.Field(F.Model, F.Generator), model.Generator);
        Required(errors, SpecPath.Field(F.Model, F.Discriminator), model.Discriminator);
        family?.Validate(model, F.Model, errors);

        if (family is null || errors.Count != before || !errors.Usable(F.Model))
        {
            return null;
        }

        long generatorParameters = family.ParameterCount(model, generator: true) ?? 0;
        long discriminatorParameters = family.ParameterCount(model, generator: false) ?? 0;
        foreach (var (key, count) in new[] { (F.Generator, generatorParameters), (F.Discriminator, discriminatorParameters) })
        {
            if (count > ExperimentSpecLimits.MaxParameters)
            {
                errors.Add(SpecPath.Field(F.Model, key),
                    $"has {count:N0} parameters; one network may have at most {ExperimentSpecLimits.MaxParameters:N0}, because its flat parameter and gradient buffers are indexed by 32-bit integers");
            }
        }

        return errors.Count == before ? new CheckedModel(model, family, generatorParameters, discriminatorParameters) : null;
    }

    private static DatasetCatalog.Entry? ValidateDataset(DatasetSpec? dataset, CheckedModel? model, SpecErrorList errors)
    {
        if (dataset is null)
        {
            if (errors.Usable(F.Dataset))
            {
                errors.Add(F.Dataset, "is required");
            }

            return null;
        }

        string namePath = SpecPath.Field(F.Dataset, F.DatasetName);
        var entry = DatasetCatalog.Find(dataset.Name);
        if (entry is null && errors.Usable(namePath))
        {
            string hint = dataset.Name is null ? string.Empty : KeySuggestions.Hint(dataset.Name, DatasetCatalog.Names);
            errors.Add(namePath, $"unknown dataset '{Shorten(dataset.Name ?? string.Empty)}'{hint}; the datasets are {string.Join(", ", DatasetCatalog.Names)}");
        }

        string locationPath = SpecPath.Field(F.Dataset, F.Location);
        if (errors.Usable(locationPath) && DatasetSpec.FindLocationProblem(dataset.Location) is { } problem)
        {
            errors.Add(locationPath, problem);
        }

        string splitPath = SpecPath.Field(F.Dataset, F.Split);
        if (errors.Usable(splitPath) && !Enum.IsDefined(dataset.Split))
        {
            errors.Add(splitPath, $"must be {F.Train} or {F.Test}; got {(int)dataset.Split}");
        }

        if (entry is not null && model is not null && errors.Usable(namePath))
        {
            if (model.Spec.ImageSize != entry.ImageSize)
            {
                errors.Add(SpecPath.Field(F.Model, F.ImageSize), $"must be {entry.ImageSize} to match dataset {entry.Name} ({entry.ImageSize}×{entry.ImageSize} images); got {model.Spec.ImageSize}");
            }

            if (model.Spec.Channels != entry.Channels)
            {
                errors.Add(SpecPath.Field(F.Model, F.Channels), $"must be {entry.Channels} to match dataset {entry.Name} ({entry.Channels} channel{(entry.Channels == 1 ? string.Empty : "s")}); got {model.Spec.Channels}");
            }
        }

        return entry is not null && errors.Usable(SpecPath.Field(F.Dataset, F.Split)) && Enum.IsDefined(dataset.Split) ? entry : null;
    }

    private static void ValidateBatchSplit(ExperimentSpec spec, ModelFamily? family, DatasetCatalog.Entry? dataset, SpecErrorList errors)
    {
        if (!errors.Usable(F.BatchSize, F.WorldSize)
            || spec.BatchSize is < 1 or > ExperimentSpecLimits.MaxBatchSize
            || spec.WorldSize is < 1 or > ExperimentSpecLimits.MaxWorldSize)
        {
            return;
        }

        // Both rules are judged before either is reported: a report makes the field unusable for later rules.
        string? split = null;
        if (spec.BatchSize % spec.WorldSize != 0)
        {
            split = $"{spec.BatchSize:N0} is not divisible by {F.WorldSize} {spec.WorldSize:N0}; every worker takes {F.BatchSize} / {F.WorldSize} images";
        }
        else if (family is not null && spec.BatchSize / spec.WorldSize < family.MinBatchPerWorker)
        {
            split = $"gives each of the {spec.WorldSize:N0} workers {spec.BatchSize / spec.WorldSize} image(s); {family.Name} needs at least {family.MinBatchPerWorker} per worker (BatchNorm needs more than one value per channel)";
        }

        string? size = null;
        if (dataset is not null && spec.Dataset is not null && spec.BatchSize > dataset.ImagesIn(spec.Dataset.Split))
        {
            size = $"{spec.BatchSize:N0} exceeds the {dataset.ImagesIn(spec.Dataset.Split):N0} images of {dataset.Name}'s {SpecFieldNames.Of(spec.Dataset.Split)} split: an epoch would have no full batch";
        }

        foreach (var message in new[] { split, size })
        {
            if (message is not null)
            {
                errors.Add(F.BatchSize, message);
            }
        }
    }

    private static void ValidateOptimizers(GanPair<OptimizerSpec>? optimizers, SpecErrorList errors)
    {
        if (!Required(errors, F.Optimizer, optimizers))
        {
            return;
        }

        foreach (var (optimizer, key) in new[] { (optimizers!.Generator, F.Generator), (optimizers.Discriminator, F.Discriminator) })
        {
            string path = SpecPath.Field(F.Optimizer, key);
            if (Required(errors, path, optimizer))
            {
                ValidateOptimizer(optimizer, path, errors);
            }
        }
    }

    private static void ValidateOptimizer(OptimizerSpec optimizer, string path, SpecErrorList errors)
    {
        string typePath = SpecPath.Field(path, F.Type);
        if (!Enum.IsDefined(optimizer.Type))
        {
            if (errors.Usable(typePath))
            {
                errors.Add(typePath, $"must be {F.Adam} or {F.Sgd}; got {(int)optimizer.Type}");
            }

            return;
        }

        string name = SpecFieldNames.Of(optimizer.Type);
        Finite(errors, SpecPath.Field(path, F.Lr), optimizer.Lr, min: 0, minInclusive: false, max: null);
        Finite(errors, SpecPath.Field(path, F.WeightDecay), optimizer.WeightDecay, min: 0, minInclusive: true, max: null);

        bool adam = optimizer.Type == OptimizerType.Adam;
        string betas = SpecPath.Field(path, F.Betas);
        Belongs(errors, betas, optimizer.Beta1 ?? optimizer.Beta2, adam, name, F.Adam);
        Belongs(errors, SpecPath.Field(path, F.Eps), optimizer.Eps, adam, name, F.Adam);
        Belongs(errors, SpecPath.Field(path, F.Momentum), optimizer.Momentum, !adam, name, F.Sgd);
        Belongs(errors, SpecPath.Field(path, F.Dampening), optimizer.Dampening, !adam, name, F.Sgd);
        Belongs(errors, SpecPath.Field(path, F.Nesterov), optimizer.Nesterov, !adam, name, F.Sgd);

        if (adam)
        {
            if (Required(errors, betas, optimizer.Beta1 is null || optimizer.Beta2 is null ? null : (object)true))
            {
                Finite(errors, SpecPath.Item(betas, 0), optimizer.Beta1!.Value, min: 0, minInclusive: true, max: 1);
                Finite(errors, SpecPath.Item(betas, 1), optimizer.Beta2!.Value, min: 0, minInclusive: true, max: 1);
            }

            if (Required(errors, SpecPath.Field(path, F.Eps), optimizer.Eps))
            {
                Finite(errors, SpecPath.Field(path, F.Eps), optimizer.Eps!.Value, min: 0, minInclusive: true, max: null);
            }

            return;
        }

        string momentumPath = SpecPath.Field(path, F.Momentum);
        string dampeningPath = SpecPath.Field(path, F.Dampening);
        string nesterovPath = SpecPath.Field(path, F.Nesterov);
        bool momentumOk = Required(errors, momentumPath, optimizer.Momentum)
            && Finite(errors, momentumPath, optimizer.Momentum!.Value, min: 0, minInclusive: true, max: null);
        bool dampeningOk = Required(errors, dampeningPath, optimizer.Dampening)
            && Finite(errors, dampeningPath, optimizer.Dampening!.Value, min: 0, minInclusive: true, max: 1, maxInclusive: true);
        if (Required(errors, nesterovPath, optimizer.Nesterov) && optimizer.Nesterov == true && momentumOk && dampeningOk
            && (optimizer.Momentum <= 0 || optimizer.Dampening != 0))
        {
            errors.Add(nesterovPath, $"Nesterov momentum needs {F.Momentum} > 0 and {F.Dampening} 0 (as torch.optim.SGD); got {F.Momentum} {optimizer.Momentum}, {F.Dampening} {optimizer.Dampening}");
        }
    }

    private static void ValidateShards(GanPair<int>? shards, CheckedModel? model, SpecErrorList errors)
    {
        if (!Required(errors, F.Shards, shards))
        {
            return;
        }

        foreach (var (count, key, parameters) in new[]
        {
            (shards!.Generator, F.Generator, model?.GeneratorParameters),
            (shards.Discriminator, F.Discriminator, model?.DiscriminatorParameters),
        })
        {
            string path = SpecPath.Field(F.Shards, key);
            if (Range(errors, path, count, 1, ExperimentSpecLimits.MaxShards) && parameters is { } p && count > p)
            {
                errors.Add(path, $"{count:N0} shards exceed the {p:N0} parameters of the {key}; every shard owns at least one");
            }
        }
    }

    private static void ValidateCheckpoints(CheckpointSpec? checkpoints, SpecErrorList errors)
    {
        if (Required(errors, F.Checkpoints, checkpoints))
        {
            Range(errors, SpecPath.Field(F.Checkpoints, F.Interval), checkpoints!.Interval, 0, ExperimentSpecLimits.MaxSteps);
            Range(errors, SpecPath.Field(F.Checkpoints, F.Keep), checkpoints.Keep, 1, ExperimentSpecLimits.MaxCheckpointsKept);
        }
    }

    private static void ValidateDevices(ValueList<DeviceAddress>? devices, int worldSize, SpecErrorList errors)
    {
        if (devices is null || !errors.WasRead(F.Devices))
        {
            return;
        }

        var seen = new Dictionary<DeviceAddress, int>();
        for (int i = 0; i < devices.Count; i++)
        {
            string path = SpecPath.Item(F.Devices, i);
            var device = devices[i];
            if (!errors.Usable(path))
            {
                continue;
            }

            if (device is null)
            {
                errors.Add(path, "is required: silo/kind:index, e.g. silo-a/cpu:0");
            }
            else if (device.FindProblem() is { } problem)
            {
                errors.Add(path, problem);
            }
            else if (!seen.TryAdd(device, i))
            {
                errors.Add(path, $"repeats devices[{seen[device]}] ({device}); each worker needs a device of its own, because a worker grain is keyed by silo/device");
            }
        }

        // After the items: reporting the list marks everything in it unusable.
        if (errors.Usable(F.WorldSize) && worldSize is >= 1 and <= ExperimentSpecLimits.MaxWorldSize && devices.Count != worldSize)
        {
            errors.Add(F.Devices, $"lists {devices.Count:N0} device(s) but {F.WorldSize} is {worldSize:N0}; give one device per worker in rank order, or write {F.Auto}");
        }
    }

    /// <summary>Reports a missing section or value; returns whether it is present (and usable).</summary>
    private static bool Required(SpecErrorList errors, string path, object? value)
    {
        if (!errors.Usable(path))
        {
            return false;
        }

        if (value is null)
        {
            errors.Add(path, "is required");
            return false;
        }

        return true;
    }

    /// <summary>Reports a member of one algorithm set on an optimizer of another.</summary>
    private static void Belongs(SpecErrorList errors, string path, object? value, bool allowed, string type, string owner)
    {
        if (!allowed && value is not null && errors.Usable(path))
        {
            errors.Add(path, $"is a setting of {owner}; {type} has no {path[(path.LastIndexOf('.') + 1)..]}");
        }
    }

    /// <summary>Reports an integer outside [min, max]; returns whether it is usable and inside.</summary>
    private static bool Range(SpecErrorList errors, string path, long value, long min, long max)
    {
        if (!errors.Usable(path))
        {
            return false;
        }

        if (value < min || value > max)
        {
            errors.Add(path, max == long.MaxValue
                ? $"must be at least {min:N0}; got {value:N0}"
                : $"must be from {min:N0} to {max:N0}; got {value:N0}");
            return false;
        }

        return true;
    }

    /// <summary>Reports a number that is not finite or lies outside its bounds (max exclusive unless said otherwise).</summary>
    private static bool Finite(SpecErrorList errors, string path, double value, double min, bool minInclusive, double? max, bool maxInclusive = false)
    {
        if (!errors.Usable(path))
        {
            return false;
        }

        string lower = minInclusive ? $"≥ {min}" : $"> {min}";
        string upper = max is { } m ? (maxInclusive ? $" and ≤ {m}" : $" and < {m}") : string.Empty;
        bool inside = double.IsFinite(value)
            && (minInclusive ? value >= min : value > min)
            && (max is not { } top || (maxInclusive ? value <= top : value < top));
        if (!inside)
        {
            errors.Add(path, $"must be a finite number {lower}{upper}; got {Format(value)}");
        }

        return inside;
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "infinity",
        double.NegativeInfinity => "-infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>A model that passed every check, with what later rules need from it.</summary>
    private sealed record CheckedModel(ModelSpec Spec, ModelFamily Family, long GeneratorParameters, long DiscriminatorParameters);
}
