using GenCluster.Contracts.Training;
using GenCluster.Torch.Modules;
using GenCluster.Training.Gan;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Grains.Models;

/// <summary>Builds a plan's generator and discriminator with seeded initial weights.</summary>
internal static class GanModelFactory
{
    // The initialisers draw from libtorch's process-wide default generator: two builds at once in one process
    // (two workers of one silo) would interleave their draws and lose determinism.
    private static readonly Lock s_seedLock = new();

    /// <summary>
    /// Seeds the default generator with <paramref name="seed"/>, then builds G, then D — the order
    /// <c>LocalGanTrainer</c> uses, so a one-worker cluster run starts from the same weights.
    /// </summary>
    public static (Module Generator, Module Discriminator) Create(ModelSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (s_seedLock)
        {
            manual_seed(seed);
            switch (spec.Family)
            {
                case ModelFamily.Dcgan:
                    var dcgan = new DcganOptions { LatentSize = spec.LatentSize, GeneratorWidth = spec.GeneratorWidth, DiscriminatorWidth = spec.DiscriminatorWidth };
                    var g = new DcganGenerator(dcgan);
                    return (g, new DcganDiscriminator(dcgan));
                case ModelFamily.MlpGan:
                    var mlp = new MlpGanOptions { LatentSize = spec.LatentSize, GeneratorHidden = spec.GeneratorWidth, DiscriminatorHidden = spec.DiscriminatorWidth };
                    var mg = new MlpGenerator(mlp);
                    return (mg, new MlpDiscriminator(mlp));
                default:
                    throw new ArgumentOutOfRangeException(nameof(spec), spec.Family, "unknown model family");
            }
        }
    }
}
