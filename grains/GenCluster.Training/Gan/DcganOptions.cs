namespace GenCluster.Training.Gan;

/// <summary>Sizes of the DCGAN pair, scaled from pytorch/examples' 64×64 recipe to 28×28 images.</summary>
public sealed record DcganOptions
{
    /// <summary>Length of the latent vector z (nz).</summary>
    public int LatentSize { get; init; } = 100;

    /// <summary>Base feature maps of the generator (ngf).</summary>
    public int GeneratorWidth { get; init; } = 64;

    /// <summary>Base feature maps of the discriminator (ndf).</summary>
    public int DiscriminatorWidth { get; init; } = 64;

    /// <summary>Image channels (nc): 1 for Fashion-MNIST.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Image side; the architecture is built for 28 (7 → 14 → 28).</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Throws when a size is out of range, naming it.</summary>
    public void Validate()
    {
        Positive(LatentSize, nameof(LatentSize), 4096);
        Positive(GeneratorWidth, nameof(GeneratorWidth), 1024);
        Positive(DiscriminatorWidth, nameof(DiscriminatorWidth), 1024);
        Positive(Channels, nameof(Channels), 4);
        if (ImageSize != 28)
        {
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "the DCGAN here is built for 28×28 images");
        }

        static void Positive(int value, string name, int max)
        {
            if (value <= 0 || value > max)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in 1..{max}");
            }
        }
    }
}
