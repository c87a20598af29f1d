namespace GenCluster.Training.Gan;

/// <summary>Sizes of a fully connected GAN for 28×28 grey images: one hidden layer per model, no BatchNorm.</summary>
public sealed record MlpGanOptions
{
    /// <summary>Length of the latent vector z.</summary>
    public int LatentSize { get; init; } = 64;

    /// <summary>Hidden units of the generator.</summary>
    public int GeneratorHidden { get; init; } = 256;

    /// <summary>Hidden units of the discriminator.</summary>
    public int DiscriminatorHidden { get; init; } = 256;

    /// <summary>Image channels: 1 for Fashion-MNIST.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Image side in pixels.</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Floats in one image.</summary>
    public int Pixels => Channels * ImageSize * ImageSize;

    /// <summary>Throws when a size is out of range, naming it.</summary>
    public void Validate()
    {
        Check(LatentSize, nameof(LatentSize), 4096);
        Check(GeneratorHidden, nameof(GeneratorHidden), 65_536);
        Check(DiscriminatorHidden, nameof(DiscriminatorHidden), 65_536);
        Check(Channels, nameof(Channels), 4);
        Check(ImageSize, nameof(ImageSize), 1024);

        static void Check(int value, string name, int max)
        {
            if (value <= 0 || value > max)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in 1..{max}");
            }
        }
    }
}
