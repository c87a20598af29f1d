namespace GenCluster.Contracts.Experiments.Families;

/// <summary>
/// What the spec needs to know about one architecture: its defaults, which <see cref="NetworkSpec"/> members it reads,
/// their limits, and how many trainable parameters each network has (shards split that many floats).
/// </summary>
internal abstract class ModelFamily
{
    /// <summary>Every family a spec may name.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } = [new DcganFamily(), new MlpGanFamily()];

    /// <summary>The name in spec text, e.g. <c>dcgan</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The full default model of the family.</summary>
    public abstract ModelSpec Defaults { get; }

    /// <summary>The smallest per-worker batch the architecture trains with (BatchNorm needs more than one value per channel).</summary>
    public abstract int MinBatchPerWorker { get; }

    /// <summary>The family named <paramref name="name"/>, or null.</summary>
    public static ModelFamily? Find(string? name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>Fills the members of a network the spec left out with the family's defaults.</summary>
    public abstract NetworkSpec WithDefaults(NetworkSpec network, bool generator);

    /// <summary>Checks the family's own rules for <paramref name="model"/> (at <paramref name="path"/>); common ranges are checked by the validator.</summary>
    public abstract void Validate(ModelSpec model, string path, SpecErrorList errors);

    /// <summary>
    /// Trainable parameters of one network (BatchNorm running statistics are buffers, not parameters), or null when the
    /// sizes are unusable. Exact for the architecture docs/EXPERIMENT-SPEC.md describes; checked against PyTorch in tests.
    /// </summary>
    public abstract long? ParameterCount(ModelSpec model, bool generator);

    /// <summary>Reports a member that belongs to another family.</summary>
    protected static void RejectForeign(NetworkSpec network, string path, string family, SpecErrorList errors, bool featureMaps, bool widths)
    {
        if (featureMaps && network.FeatureMaps is not null && errors.Usable(SpecPath.Field(path, SpecFieldNames.FeatureMaps)))
        {
            errors.Add(SpecPath.Field(path, SpecFieldNames.FeatureMaps), $"{family} networks have no {SpecFieldNames.FeatureMaps} (a {ModelFamilies.Dcgan} setting); use {SpecFieldNames.Widths}");
        }

        if (widths && network.Widths is not null && errors.Usable(SpecPath.Field(path, SpecFieldNames.Widths)))
        {
            errors.Add(SpecPath.Field(path, SpecFieldNames.Widths), $"{family} networks have no {SpecFieldNames.Widths} (an {ModelFamilies.MlpGan} setting); use {SpecFieldNames.FeatureMaps}");
        }
    }
}
