namespace GenCluster.Contracts.Experiments;

/// <summary>
/// The model families a spec may name. Adding one means a class deriving from the internal <c>ModelFamily</c>
/// (its defaults, which <see cref="NetworkSpec"/> members it reads, its limits and its parameter count), listed
/// in <c>ModelFamily.All</c>, plus a section in docs/EXPERIMENT-SPEC.md.
/// </summary>
public static class ModelFamilies
{
    /// <summary>The DCGAN of pytorch/examples, scaled to 28×28 images (transposed convolutions and BatchNorm).</summary>
    public const string Dcgan = "dcgan";

    /// <summary>A fully connected GAN: Linear layers with LeakyReLU, tanh output.</summary>
    public const string MlpGan = "mlp-gan";

    /// <summary>Every known family, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Dcgan, MlpGan];
}
