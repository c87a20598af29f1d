using GenCluster.Datasets;
using GenCluster.Training.Gan;
using GenCluster.Training.Local;

namespace GenCluster.Training.Tests;

/// <summary>Same seed → bit-identical training; a different seed → a different run.</summary>
[Collection(FashionMnistCollection.Name)]
public sealed class DeterminismTests(FashionMnistFixture data)
{
    private static readonly LocalTrainingOptions Options = new()
    {
        Steps = 20,
        BatchSize = 32,
        Threads = 1,
        Model = new DcganOptions { GeneratorWidth = 32, DiscriminatorWidth = 32 },
    };

    [Fact]
    public void Same_seed_gives_bit_identical_parameters_after_20_steps()
    {
        var first = Train(Options with { Seed = 5 });
        var second = Train(Options with { Seed = 5 });
        first.Generator.Should().Equal(second.Generator, "generator parameters must match bit for bit");
        first.Discriminator.Should().Equal(second.Discriminator, "discriminator parameters must match bit for bit");
        first.Losses.Should().Equal(second.Losses);
    }

    [Fact]
    public void Different_seed_gives_different_parameters()
    {
        var first = Train(Options with { Seed = 5 });
        var other = Train(Options with { Seed = 6 });
        first.Generator.Should().NotEqual(other.Generator);
    }

    private (int[] Generator, int[] Discriminator, float[] Losses) Train(LocalTrainingOptions options)
    {
        using var trainer = new LocalGanTrainer(options, data.Train);
        var history = trainer.Train();
        using var flatG = trainer.GeneratorModel.parameters().Select(p => p.flatten()).ToList() is var g ? GenCluster.Torch.torch.cat(g) : null;
        using var flatD = trainer.DiscriminatorModel.parameters().Select(p => p.flatten()).ToList() is var d ? GenCluster.Torch.torch.cat(d) : null;
        return (Bits(flatG!.ToArray<float>()), Bits(flatD!.ToArray<float>()), history.SelectMany(r => new[] { r.DiscriminatorLoss, r.GeneratorLoss }).ToArray());
    }

    // Compare bit patterns so NaN or -0 could not make unequal runs look equal.
    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}

/// <summary>Loads the Fashion-MNIST training split once for every class that needs it.</summary>
public sealed class FashionMnistFixture
{
    public FashionMnist Train { get; } = new(FashionMnistSplit.Train);
}

/// <summary>
/// One dataset (190 MB of floats) shared by the classes that train: freeing a per-class copy while
/// another class measures resident memory would make that measurement meaningless.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FashionMnistCollection : ICollectionFixture<FashionMnistFixture>
{
    public const string Name = "Fashion-MNIST";
}
