using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>The architecture of both models of the GAN and their sizes.</summary>
/// <remarks>
/// For <see cref="ModelFamily.Dcgan"/> the widths are base feature maps (ngf, ndf); for
/// <see cref="ModelFamily.MlpGan"/> they are hidden units of the single hidden layer of each model.
/// </remarks>
[GenerateSerializer]
public sealed record ModelSpec
{
    /// <summary>The architecture.</summary>
    [Id(0)]
    public ModelFamily Family { get; init; } = ModelFamily.Dcgan;

    /// <summary>Length of the latent vector z.</summary>
    [Id(1)]
    public int LatentSize { get; init; } = 100;

    /// <summary>Generator width (ngf, or hidden units).</summary>
    [Id(2)]
    public int GeneratorWidth { get; init; } = 64;

    /// <summary>Discriminator width (ndf, or hidden units).</summary>
    [Id(3)]
    public int DiscriminatorWidth { get; init; } = 64;
}
