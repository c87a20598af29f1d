using GenCluster.Contracts.Experiments.Families;
using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// The model: a family (<see cref="ModelFamilies"/>) and its sizes. Sizes common to all families are members here;
/// what differs between the generator and the discriminator lives in their <see cref="NetworkSpec"/>s, whose members
/// each family reads its own subset of.
/// </summary>
/// <param name="Family">The architecture, e.g. <c>dcgan</c> or <c>mlp-gan</c>.</param>
/// <param name="LatentDim">Length of the latent vector z (PyTorch examples' <c>nz</c>).</param>
/// <param name="ImageSize">Image side in pixels; images are square.</param>
/// <param name="Channels">Image channels (<c>nc</c>): 1 for grey scale.</param>
/// <param name="Generator">Sizes of the generator.</param>
/// <param name="Discriminator">Sizes of the discriminator.</param>
[GenerateSerializer]
public sealed record ModelSpec(
    [Id(0)] string Family,
    [Id(1)] int LatentDim,
    [Id(2)] int ImageSize,
    [Id(3)] int Channels,
    [Id(4)] NetworkSpec Generator,
    [Id(5)] NetworkSpec Discriminator)
{
    /// <summary>The family's default sizes (docs/EXPERIMENT-SPEC.md).</summary>
    /// <param name="family">A name from <see cref="ModelFamilies"/>.</param>
    /// <exception cref="ArgumentException">The family is unknown.</exception>
    public static ModelSpec ForFamily(string family)
    {
        var known = ModelFamily.Find(family)
            ?? throw new ArgumentException($"unknown model family '{family}'; known: {string.Join(", ", ModelFamilies.Names)}", nameof(family));
        return known.Defaults;
    }
}
