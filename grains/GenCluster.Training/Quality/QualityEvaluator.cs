using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Training.Gan;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Quality;

/// <summary>
/// Scores generators with the quality metric: the Fréchet distance between the <see cref="FashionMnistClassifier"/>
/// features of <see cref="QualityEvaluatorOptions.SampleCount"/> generated images and those of the Fashion-MNIST
/// test set. The classifier is loaded and the test-set statistics computed on first use, then kept.
/// </summary>
/// <remarks>
/// Calls are serialised: libtorch work runs on the calling thread (dispose scopes and grad mode are per thread),
/// one call at a time. Samples are drawn in batches from a generator seeded with
/// <see cref="QualityEvaluatorOptions.Seed"/>, so repeated scores of one model are identical.
/// </remarks>
public sealed partial class QualityEvaluator : IDisposable
{
    private readonly QualityEvaluatorOptions _options;
    private readonly ILogger<QualityEvaluator> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private FashionMnistClassifier? _classifier;
    private FeatureStatistics? _reference;
    private bool _disposed;

    /// <summary>Creates an evaluator; nothing is loaded until the first score.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public QualityEvaluator(IOptions<QualityEvaluatorOptions> options, ILogger<QualityEvaluator> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _options.Validate();
        _logger = logger;
        _time = time;
    }

    /// <summary>The feature statistics of the Fashion-MNIST test set (computed once).</summary>
    /// <exception cref="FileNotFoundException">The classifier weights or the dataset are missing.</exception>
    public FeatureStatistics ReferenceStatistics
    {
        get
        {
            lock (_lock)
            {
                return Reference();
            }
        }
    }

    /// <summary>Scores a DCGAN generator, sampled in evaluation mode (BatchNorm running statistics; its mode is restored).</summary>
    public QualityScore Score(DcganGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var wasTraining = generator.training;
        generator.eval();
        try
        {
            return Score((count, random) =>
            {
                using var noise = randn([count, generator.LatentSize, 1, 1], generator: random);
                return generator.forward(noise);
            });
        }
        finally
        {
            generator.train(wasTraining);
        }
    }

    /// <summary>
    /// Scores any image source: <paramref name="sample"/>(count, random) must return count×1×28×28 float32 images in
    /// [-1, 1], drawing its randomness from <c>random</c> (seeded once per score), and is called without gradients.
    /// </summary>
    /// <exception cref="ArgumentException">The sampler returned a wrong shape or type, or non-finite images.</exception>
    public QualityScore Score(Func<int, Generator, Tensor> sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_lock)
        {
            var reference = Reference();
            var started = _time.GetTimestamp();
            var statistics = SampleStatistics(sample);
            return Finish(reference, statistics, started);
        }
    }

    /// <summary>Scores a fixed set of images: N×1×28×28 floats in [-1, 1], row-major.</summary>
    /// <exception cref="ArgumentException">The length is not a positive multiple of 784, or fewer than 2 images.</exception>
    public QualityScore Score(ReadOnlySpan<float> images)
    {
        lock (_lock)
        {
            var reference = Reference();
            var started = _time.GetTimestamp();
            var statistics = ImageStatistics(images);
            return Finish(reference, statistics, started);
        }
    }

    /// <summary>The classifier-feature statistics of a fixed set of images (N×1×28×28 floats in [-1, 1]).</summary>
    public FeatureStatistics Statistics(ReadOnlySpan<float> images)
    {
        lock (_lock)
        {
            return ImageStatistics(images);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _classifier?.Dispose();
            _classifier = null;
        }
    }

    private QualityScore Finish(FeatureStatistics reference, FeatureStatistics statistics, long started)
    {
        var distance = FrechetDistance.Between(statistics, reference);
        var score = new QualityScore(distance, statistics.Count, reference.Count, _time.GetElapsedTime(started));
        LogScored(_logger, score.Fid, distance.MeanTerm, distance.CovarianceTerm, score.SampleCount, score.Elapsed.TotalSeconds);
        return score;
    }

    private FashionMnistClassifier Classifier()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_classifier is null)
        {
            var path = _options.ResolvedClassifierPath;
            (_classifier, var metadata) = FashionMnistClassifier.Load(path);
            LogClassifierLoaded(_logger, path, metadata.GetValueOrDefault("test_accuracy", "?"));
        }

        return _classifier;
    }

    private FeatureStatistics Reference()
    {
        if (_reference is null)
        {
            var started = _time.GetTimestamp();
            var test = new FashionMnist(FashionMnistSplit.Test, _options.DataDirectory);
            _reference = ImageStatistics(test.Images.Span);
            LogReferenceComputed(_logger, test.Count, _time.GetElapsedTime(started).TotalSeconds);
        }

        return _reference;
    }

    private FeatureStatistics ImageStatistics(ReadOnlySpan<float> images)
    {
        const int pixels = FashionMnist.PixelsPerImage;
        if (images.Length == 0 || images.Length % pixels != 0)
        {
            throw new ArgumentException($"images must be N×1×28×28 floats: a positive multiple of {pixels}, got {images.Length}", nameof(images));
        }

        var classifier = Classifier();
        var accumulator = new FeatureStatisticsAccumulator(FashionMnistClassifier.FeatureCount);
        var count = images.Length / pixels;
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += _options.BatchSize)
        {
            var n = Math.Min(_options.BatchSize, count - start);
            using var scope = NewDisposeScope();
            var batch = tensor(images.Slice(start * pixels, n * pixels), [n, 1, 28, 28]);
            accumulator.Add(classifier.features(batch).ToArray<float>());
        }

        return accumulator.ToStatistics();
    }

    private FeatureStatistics SampleStatistics(Func<int, Generator, Tensor> sample)
    {
        var classifier = Classifier();
        var accumulator = new FeatureStatisticsAccumulator(FashionMnistClassifier.FeatureCount);
        using var random = new Generator(_options.Seed);
        using var noGrad = no_grad();
        for (var start = 0; start < _options.SampleCount; start += _options.BatchSize)
        {
            var n = Math.Min(_options.BatchSize, _options.SampleCount - start);
            using var scope = NewDisposeScope();
            var images = sample(n, random) ?? throw new ArgumentException("the sampler returned null", nameof(sample));
            var shape = images.shape;
            if (images.dtype != ScalarType.Float32 || shape.Length != 4 || shape[0] != n || shape[1] != 1 || shape[2] != 28 || shape[3] != 28)
            {
                throw new ArgumentException(
                    $"asked for {n} images, the sampler returned {images.dtype.PyTorchName()} [{string.Join(", ", shape)}]; expected float32 [{n}, 1, 28, 28]",
                    nameof(sample));
            }

            var features = classifier.features(images).ToArray<float>();
            try
            {
                accumulator.Add(features);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"samples {start}..{start + n - 1} gave non-finite features (non-finite images?): {e.Message}", nameof(sample), e);
            }
        }

        return accumulator.ToStatistics();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the quality classifier from {Path} (recorded test accuracy {Accuracy})")]
    private static partial void LogClassifierLoaded(ILogger logger, string path, string accuracy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature statistics of the {Count} test images computed in {Seconds:F1} s")]
    private static partial void LogReferenceComputed(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "FID {Fid:F3} (mean term {MeanTerm:F3}, covariance term {CovarianceTerm:F3}) over {Count} images in {Seconds:F1} s")]
    private static partial void LogScored(ILogger logger, double fid, double meanTerm, double covarianceTerm, long count, double seconds);
}
