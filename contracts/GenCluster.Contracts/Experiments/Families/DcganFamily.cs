namespace GenCluster.Contracts.Experiments.Families;

/// <summary>
/// pytorch/examples' DCGAN scaled to 28×28 (grains/GenCluster.Training/Gan): the generator maps z through transposed
/// convolutions 1→7→14→28 with 4f and 2f feature maps, the discriminator through convolutions 28→14→7→1 with f and 2f;
/// no biases, BatchNorm in between.
/// </summary>
internal sealed class DcganFamily : ModelFamily
{
    private const int DefaultFeatureMaps = 64;

    /// <summary>The only image side the architecture is built for.</summary>
    public const int ImageSide = 28;

    public override string Name => ModelFamilies.Dcgan;

    public override ModelSpec Defaults { get; } = new(
        ModelFamilies.Dcgan,
        LatentDim: 100,
        ImageSize: ImageSide,
        Channels: 1,
        NetworkSpec.WithFeatureMaps(DefaultFeatureMaps),
        NetworkSpec.WithFeatureMaps(DefaultFeatureMaps));

    public override int MinBatchPerWorker => 2;

    public override NetworkSpec WithDefaults(NetworkSpec network, bool generator) =>
        network.FeatureMaps is null ? network with { FeatureMaps = DefaultFeatureMaps } : network;

    public override void Validate(ModelSpec model, string path, SpecErrorList errors)
    {
        string imageSize = SpecPath.Field(path, SpecFieldNames.ImageSize);
        if (model.ImageSize != ImageSide && errors.Usable(imageSize))
        {
            errors.Add(imageSize, $"must be {ImageSide} for {Name} (its layers go 7 → 14 → 28); got {model.ImageSize}");
        }

        foreach (var (network, key) in new[] { (model.Generator, SpecFieldNames.Generator), (model.Discriminator, SpecFieldNames.Discriminator) })
        {
            string networkPath = SpecPath.Field(path, key);
            if (network is null)
            {
                continue;
            }

            RejectForeign(network, networkPath, Name, errors, featureMaps: false, widths: true);
            string featureMaps = SpecPath.Field(networkPath, SpecFieldNames.FeatureMaps);
            if (!errors.Usable(featureMaps))
            {
                continue;
            }

            if (network.FeatureMaps is not { } f)
            {
                errors.Add(featureMaps, $"is required for {Name}");
            }
            else if (f is < 1 or > ExperimentSpecLimits.MaxFeatureMaps)
            {
                errors.Add(featureMaps, $"must be from 1 to {ExperimentSpecLimits.MaxFeatureMaps:N0}; got {f:N0}");
            }
        }
    }

    public override long? ParameterCount(ModelSpec model, bool generator)
    {
        var network = generator ? model.Generator : model.Discriminator;
        if (network?.FeatureMaps is not { } f || f < 1 || model.LatentDim < 1 || model.Channels < 1)
        {
            return null;
        }

        long nz = model.LatentDim;
        long nc = model.Channels;
        long fm = f;
        try
        {
            // ConvT(nz→4f, 7×7), BN(4f), ConvT(4f→2f, 4×4), BN(2f), ConvT(2f→nc, 4×4) for the generator;
            // Conv(nc→f, 4×4), Conv(f→2f, 4×4), BN(2f), Conv(2f→1, 7×7) for the discriminator. BatchNorm has weight and bias.
            return generator
                ? checked((nz * 4 * fm * 49) + (2 * 4 * fm) + (4 * fm * 2 * fm * 16) + (2 * 2 * fm) + (2 * fm * nc * 16))
                : checked((nc * fm * 16) + (fm * 2 * fm * 16) + (2 * 2 * fm) + (2 * fm * 49));
        }
        catch (OverflowException)
        {
            // Only a spec built in code, with sizes far beyond the limits, gets here.
            return long.MaxValue;
        }
    }
}
