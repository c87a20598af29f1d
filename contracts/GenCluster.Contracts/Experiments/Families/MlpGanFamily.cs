namespace GenCluster.Contracts.Experiments.Families;

/// <summary>
/// A fully connected GAN. Generator: Linear(latentDim, w₁), LeakyReLU(0.2), …, Linear(wₖ, channels·imageSize²), Tanh.
/// Discriminator: Linear(channels·imageSize², w₁), LeakyReLU(0.2), …, Linear(wₖ, 1) to one logit. Every Linear has a bias.
/// </summary>
internal sealed class MlpGanFamily : ModelFamily
{
    private static readonly ValueList<int> s_generatorWidths = [256, 512, 1024];
    private static readonly ValueList<int> s_discriminatorWidths = [1024, 512, 256];

    public override string Name => ModelFamilies.MlpGan;

    public override ModelSpec Defaults { get; } = new(
        ModelFamilies.MlpGan,
        LatentDim: 100,
        ImageSize: 28,
        Channels: 1,
        new NetworkSpec(null, s_generatorWidths),
        new NetworkSpec(null, s_discriminatorWidths));

    public override int MinBatchPerWorker => 1;

    public override NetworkSpec WithDefaults(NetworkSpec network, bool generator) =>
        network.Widths is null
            ? network with { Widths = generator ? s_generatorWidths : s_discriminatorWidths }
            : network;

    public override void Validate(ModelSpec model, string path, SpecErrorList errors)
    {
        foreach (var (network, key) in new[] { (model.Generator, SpecFieldNames.Generator), (model.Discriminator, SpecFieldNames.Discriminator) })
        {
            string networkPath = SpecPath.Field(path, key);
            if (network is null)
            {
                continue;
            }

            RejectForeign(network, networkPath, Name, errors, featureMaps: true, widths: false);
            string widthsPath = SpecPath.Field(networkPath, SpecFieldNames.Widths);
            if (!errors.Usable(widthsPath))
            {
                continue;
            }

            if (network.Widths is not { } widths)
            {
                errors.Add(widthsPath, $"is required for {Name}: the hidden layer widths, e.g. [256, 512, 1024]");
                continue;
            }

            if (widths.Count is < 1 or > ExperimentSpecLimits.MaxHiddenLayers)
            {
                errors.Add(widthsPath, $"must list 1 to {ExperimentSpecLimits.MaxHiddenLayers} hidden layer widths; got {widths.Count}");
            }

            for (int i = 0; i < widths.Count; i++)
            {
                if (widths[i] is < 1 or > ExperimentSpecLimits.MaxWidth)
                {
                    errors.Add(SpecPath.Item(widthsPath, i), $"must be from 1 to {ExperimentSpecLimits.MaxWidth:N0}; got {widths[i]:N0}");
                }
            }
        }
    }

    public override long? ParameterCount(ModelSpec model, bool generator)
    {
        var widths = (generator ? model.Generator : model.Discriminator)?.Widths;
        if (widths is null || widths.Count == 0 || model.LatentDim < 1 || model.Channels < 1 || model.ImageSize < 1)
        {
            return null;
        }

        // Sizes are bounded before this runs, but a spec built in code may not be: saturate instead of overflowing.
        try
        {
            long pixels = checked((long)model.Channels * model.ImageSize * model.ImageSize);
            long previous = generator ? model.LatentDim : pixels;
            long total = 0;
            foreach (int width in widths)
            {
                if (width < 1)
                {
                    return null;
                }

                total = checked(total + (previous * width) + width);
                previous = width;
            }

            long output = generator ? pixels : 1;
            return checked(total + (previous * output) + output);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }
}
