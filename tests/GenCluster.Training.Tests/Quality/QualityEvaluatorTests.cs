using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Training.Gan;
using GenCluster.Training.Quality;
using Xunit.Abstractions;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests.Quality;

/// <summary>The metric on real data, with the shipped classifier (tests/data/fashion-mnist-classifier.safetensors).</summary>
[Collection(FashionMnistCollection.Name)]
public sealed class QualityEvaluatorTests(FashionMnistFixture data, QualityFixture quality, ITestOutputHelper output) : IClassFixture<QualityFixture>
{
    private const int SetSize = 10_000;

    [Fact]
    public void Shipped_classifier_loads_and_reaches_its_recorded_test_accuracy()
    {
        var path = QualityEvaluatorOptions.DefaultClassifierPath;
        new FileInfo(path).Length.Should().BeLessThanOrEqualTo(1 << 20, "the weights ship as test data");
        var (classifier, metadata) = FashionMnistClassifier.Load(path);
        using (classifier)
        {
            metadata["feature_count"].Should().Be(FashionMnistClassifier.FeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var recorded = double.Parse(metadata["test_accuracy"], System.Globalization.CultureInfo.InvariantCulture);
            var measured = ClassifierAccuracy.Measure(classifier, quality.Test);
            output.WriteLine($"recorded test accuracy {recorded:P2}, measured {measured:P2}");
            recorded.Should().BeGreaterThanOrEqualTo(0.88);
            measured.Should().BeApproximately(recorded, 0.005);
            classifier.training.Should().BeFalse("Load returns the classifier in evaluation mode");
        }
    }

    [Fact]
    public void Orders_train_set_far_below_noise_blurred_and_shifted_sets()
    {
        var train = data.Train.Images.Span[..(SetSize * FashionMnist.PixelsPerImage)];
        var trainFid = quality.Evaluator.Score(train).Fid;
        // Degraded sets of half the size: the gaps checked here are two orders of magnitude, far above the small-sample bias.
        var half = train[..(train.Length / 2)];
        var noiseFid = quality.Evaluator.Score(ImageTransforms.Noise(SetSize / 2, seed: 1)).Fid;
        var blurredFid = quality.Evaluator.Score(ImageTransforms.Blur(half, radius: 1)).Fid;
        var shiftedFid = quality.Evaluator.Score(ImageTransforms.Shift(half, pixels: 3)).Fid;
        var scale = quality.Evaluator.ReferenceStatistics.TotalVariance;
        output.WriteLine($"FID vs test set: train {trainFid:F3}, blurred train {blurredFid:F3}, shifted train {shiftedFid:F3}, noise {noiseFid:F3}; test-set total variance {scale:F3}");

        trainFid.Should().BeGreaterThan(0, "two different sets of real images still differ a little");
        trainFid.Should().BeLessThan(0.02 * scale, "train and test images come from one distribution");
        blurredFid.Should().BeGreaterThan(10 * trainFid);
        shiftedFid.Should().BeGreaterThan(10 * trainFid);
        noiseFid.Should().BeGreaterThan(blurredFid).And.BeGreaterThan(shiftedFid);
    }

    [Fact]
    public void Real_features_against_themselves_are_zero()
    {
        // The classifier's features have near-singular covariance (dead ReLU units), the hard case for Σ^½.
        var statistics = quality.Evaluator.Statistics(quality.Test.Images.Span);
        var distance = FrechetDistance.Between(statistics, quality.Evaluator.ReferenceStatistics);
        var unclamped = (2 * statistics.TotalVariance) - (2 * distance.RootTrace);
        output.WriteLine($"test set vs itself: FID {distance.Value:E3}, unclamped covariance term {unclamped:E3}, total variance {statistics.TotalVariance:F3}");
        distance.MeanTerm.Should().Be(0, "the same images give the same features");
        Math.Abs(unclamped).Should().BeLessThanOrEqualTo(1e-6 * statistics.TotalVariance);
    }

    [Fact]
    public void Generator_scores_repeat_exactly_and_leave_the_generator_in_its_mode()
    {
        manual_seed(3);
        using var generator = new DcganGenerator(new DcganOptions { GeneratorWidth = 8 });
        generator.train();
        var first = quality.Evaluator.Score(generator);
        var second = quality.Evaluator.Score(generator);
        output.WriteLine($"untrained generator: FID {first.Fid:F3} over {first.SampleCount} samples in {first.Elapsed.TotalSeconds:F2} s");
        generator.training.Should().BeTrue("the evaluator restores training mode");
        first.SampleCount.Should().Be(1000);
        first.ReferenceCount.Should().Be(10_000);
        second.Fid.Should().Be(first.Fid, "the latent vectors come from a fixed seed");

        using var otherSeed = QualityFixture.Create(new QualityEvaluatorOptions { SampleCount = 1000, Seed = 99 });
        var other = otherSeed.Score(generator);
        other.Fid.Should().NotBe(first.Fid, "another seed draws other samples");
        other.Fid.Should().BeApproximately(first.Fid, 0.1 * first.Fid, "but of the same generator");
    }

    [Fact]
    public void A_sampler_function_is_scored_and_checked()
    {
        // Test images served through the sampler interface score like the test set itself.
        var test = quality.Test.Images;
        var served = 0;
        var score = quality.Evaluator.Score((count, _) =>
        {
            var batch = tensor(test.Span.Slice(served * FashionMnist.PixelsPerImage, count * FashionMnist.PixelsPerImage), [count, 1, 28, 28]);
            served += count;
            return batch;
        });
        served.Should().Be(1000);
        score.Fid.Should().BeLessThan(0.05 * quality.Evaluator.ReferenceStatistics.TotalVariance);

        var wrongShape = () => quality.Evaluator.Score((count, random) => rand([count, 28, 28], generator: random));
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*float32 [500, 1, 28, 28]*");
        var notFinite = () => quality.Evaluator.Score((count, _) => full([count, 1, 28, 28], double.NaN));
        notFinite.Should().Throw<ArgumentException>().WithMessage("*non-finite*");
    }

    [Fact]
    public void Missing_weights_and_bad_options_are_clear_errors()
    {
        using var missing = QualityFixture.Create(new QualityEvaluatorOptions { ClassifierPath = "/nonexistent/classifier.safetensors" });
        var act = () => missing.ReferenceStatistics;
        act.Should().Throw<FileNotFoundException>().WithMessage("*/nonexistent/classifier.safetensors*train-classifier*");

        var badOptions = () => QualityFixture.Create(new QualityEvaluatorOptions { SampleCount = 1 });
        badOptions.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*SampleCount*");

        using var dir = new TemporaryDirectory("quality");
        manual_seed(1);
        using (var generator = new DcganGenerator(new DcganOptions { GeneratorWidth = 8 }))
        {
            GenCluster.Torch.Serialization.SafeTensors.Save(generator.state_dict(), dir.File("not-a-classifier.safetensors"));
        }

        var wrongFile = () => FashionMnistClassifier.Load(dir.File("not-a-classifier.safetensors"));
        wrongFile.Should().Throw<InvalidDataException>().WithMessage("*architecture*fashion-mnist-cnn-v1*");
    }
}
