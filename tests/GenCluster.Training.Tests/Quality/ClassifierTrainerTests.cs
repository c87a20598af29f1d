using System.Buffers.Binary;
using System.IO.Compression;
using GenCluster.Datasets;
using GenCluster.Training.Quality;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenCluster.Training.Tests.Quality;

/// <summary>The classifier trainer on a small slice of Fashion-MNIST (the full recipe takes minutes; see tests/data/README.md).</summary>
[Collection(FashionMnistCollection.Name)]
public sealed class ClassifierTrainerTests(FashionMnistFixture data, ITestOutputHelper output)
{
    private static readonly ClassifierTrainingOptions Recipe = new() { Epochs = 2, BatchSize = 50, Threads = 1, Seed = 11 };

    [Fact]
    public void Learns_a_small_slice_reproducibly_and_saves_weights_that_load_with_the_same_accuracy()
    {
        using var dir = new TemporaryDirectory("classifier");
        WriteSlice(dir.Path, FashionMnistSplit.Train, data.Train, 3000);
        WriteSlice(dir.Path, FashionMnistSplit.Test, new FashionMnist(FashionMnistSplit.Test), 1000);
        var train = new FashionMnist(FashionMnistSplit.Train, dir.Path);
        var test = new FashionMnist(FashionMnistSplit.Test, dir.Path);

        var trainer = new ClassifierTrainer(Options.Create(Recipe), NullLogger<ClassifierTrainer>.Instance, TimeProvider.System);
        var (first, history) = trainer.Train(train, test);
        var (second, _) = trainer.Train(train, test);
        using (first)
        using (second)
        {
            history.Should().HaveCount(2);
            output.WriteLine(string.Join("; ", history.Select(e => $"epoch {e.Epoch}: lr {e.LearningRate:G3}, loss {e.TrainLoss:F3}, accuracy {e.TestAccuracy:P1}")));
            history[0].LearningRate.Should().Be(Recipe.LearningRate);
            history[1].LearningRate.Should().BeApproximately(Recipe.LearningRate / 2, 1e-12, "cosine halfway");
            history[1].TrainLoss.Should().BeLessThan(history[0].TrainLoss);
            history[^1].TestAccuracy.Should().BeGreaterThan(0.6, "ten classes, so chance is 0.1");
            first.training.Should().BeFalse();

            var a = first.parameters().SelectMany(p => p.ToArray<float>()).ToArray();
            var b = second.parameters().SelectMany(p => p.ToArray<float>()).ToArray();
            a.Should().Equal(b, "the same seed and thread count repeat a run bit for bit");

            first.Save(dir.File("classifier.safetensors"), trainer.DescribeRun(history));
        }

        var (loaded, metadata) = FashionMnistClassifier.Load(dir.File("classifier.safetensors"));
        using (loaded)
        {
            metadata["test_accuracy"].Should().Be(history[^1].TestAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
            metadata["epochs"].Should().Be("2");
            ClassifierAccuracy.Measure(loaded, test).Should().Be(history[^1].TestAccuracy);
        }
    }

    [Fact]
    public void Rejects_bad_options_by_name()
    {
        var act = () => new ClassifierTrainer(Options.Create(new ClassifierTrainingOptions { Dropout = 1 }), NullLogger<ClassifierTrainer>.Instance, TimeProvider.System);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Dropout*");
        var epochs = () => new ClassifierTrainingOptions { Epochs = 0 }.Validate();
        epochs.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Epochs*");
    }

    /// <summary>Writes the first <paramref name="count"/> images and labels of a split as gzipped IDX files, as the Debian package ships them.</summary>
    private static void WriteSlice(string directory, FashionMnistSplit split, FashionMnist source, int count)
    {
        var (imageFile, labelFile) = FashionMnist.FileNames(split);
        var pixels = source.Images.Span[..(count * FashionMnist.PixelsPerImage)];
        var bytes = new byte[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            bytes[i] = (byte)Math.Round((pixels[i] + 1) * 127.5);
        }

        Write(Path.Combine(directory, imageFile), 0x803, [count, 28, 28], bytes);
        Write(Path.Combine(directory, labelFile), 0x801, [count], source.Labels.Span[..count].ToArray());

        static void Write(string path, uint magic, int[] dimensions, byte[] payload)
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(word, magic);
            gzip.Write(word);
            foreach (var dimension in dimensions)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, dimension);
                gzip.Write(word);
            }

            gzip.Write(payload);
        }
    }
}
