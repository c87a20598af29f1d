using System.Globalization;
using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Training.Optim;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Quality;

/// <summary>
/// Trains the quality metric's <see cref="FashionMnistClassifier"/> on the Fashion-MNIST training split with
/// our binding: Adam on the flat parameter buffer, a cosine learning-rate schedule stepped per epoch, batches
/// from the deterministic <see cref="DataParallelSampler"/>; test accuracy after every epoch.
/// </summary>
/// <remarks>
/// Everything random is seeded from <see cref="ClassifierTrainingOptions.Seed"/>, so a run on the same
/// libtorch build and thread count repeats; other builds may differ in the last bits (BLAS reduction order).
/// </remarks>
public sealed partial class ClassifierTrainer
{
    /// <summary>Stream id of the dropout masks in <see cref="DeterministicRandom.DeriveSeed"/>.</summary>
    public const ulong DropoutStream = 0x44524F50; // "DROP"

    private readonly ClassifierTrainingOptions _options;
    private readonly ILogger<ClassifierTrainer> _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a trainer.</summary>
    public ClassifierTrainer(IOptions<ClassifierTrainingOptions> options, ILogger<ClassifierTrainer> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _options.Validate();
        _logger = logger;
        _time = time;
    }

    /// <summary>
    /// Trains a new classifier on <paramref name="train"/>, reporting each epoch's accuracy on <paramref name="test"/>;
    /// returns it in evaluation mode with the per-epoch history.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the partly trained model is disposed.</exception>
    public (FashionMnistClassifier Classifier, IReadOnlyList<ClassifierEpoch> History) Train(
        FashionMnist train, FashionMnist test, IProgress<ClassifierEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var options = _options;
        if (options.BatchSize > train.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(train), $"BatchSize {options.BatchSize} exceeds the {train.Count} training images");
        }

        set_num_threads(options.Threads);
        manual_seed(options.Seed);
        var classifier = new FashionMnistClassifier(options.Dropout);
        using var dropoutGenerator = new Generator(DeterministicRandom.DeriveSeed(options.Seed, 0, 0, DropoutStream));
        classifier.DropoutGenerator = dropoutGenerator;
        var started = _time.GetTimestamp();
        try
        {
            using var buffer = ParameterBuffer.Flatten(classifier);
            var length = checked((int)buffer.Length);
            var sampler = new DataParallelSampler(train.Count, options.BatchSize, options.Seed);
            var indices = new int[options.BatchSize];
            var labels = new long[options.BatchSize];
            using var images = empty([options.BatchSize, 1, 28, 28]).DetachFromDisposeScope();
            Adam? adam = null;
            var history = new List<ClassifierEpoch>(options.Epochs);
            LogStarted(_logger, length, train.Count, options.Epochs, options.BatchSize, options.Seed);
            for (var epoch = 0; epoch < options.Epochs; epoch++)
            {
                // A new learning rate means a new Adam carrying over the moments, as a scheduler changing lr does.
                var learningRate = options.LearningRateAt(epoch);
                var next = new Adam(length, options.AdamAt(learningRate));
                if (adam is not null)
                {
                    next.LoadState(adam.StepCount, adam.ExpAvg, adam.ExpAvgSq);
                }

                adam = next;
                classifier.train();
                var lossSum = 0.0;
                for (var batch = 0; batch < sampler.StepsPerEpoch; batch++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sampler.CopyGlobalBatch(((long)epoch * sampler.StepsPerEpoch) + batch, indices);
                    train.CopyBatch(indices, images.data<float>(), labels);
                    using var scope = NewDisposeScope();
                    var target = tensor(labels, [labels.Length]);
                    var loss = nn.functional.cross_entropy(classifier.forward(images), target);
                    buffer.zero_grad();
                    loss.backward();
                    adam.Step(buffer.ParameterSpan, buffer.GradientSpan);
                    lossSum += loss.item<float>();
                }

                var accuracy = ClassifierAccuracy.Measure(classifier, test, options.EvaluationBatchSize);
                var record = new ClassifierEpoch(epoch + 1, learningRate, lossSum / sampler.StepsPerEpoch, accuracy, _time.GetElapsedTime(started));
                history.Add(record);
                LogEpoch(_logger, record.Epoch, options.Epochs, record.TrainLoss, record.TestAccuracy, record.Elapsed.TotalSeconds);
                progress?.Report(record);
            }

            classifier.DropoutGenerator = null;
            classifier.eval();
            return (classifier, history);
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>The metadata <see cref="FashionMnistClassifier.Save"/> should record for a run: recipe and final test accuracy.</summary>
    public IReadOnlyDictionary<string, string> DescribeRun(IReadOnlyList<ClassifierEpoch> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("no epochs were trained", nameof(history));
        }

        var o = _options;
        return new Dictionary<string, string>
        {
            ["test_accuracy"] = history[^1].TestAccuracy.ToString("F4", CultureInfo.InvariantCulture),
            ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = o.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = o.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["dropout"] = o.Dropout.ToString("R", CultureInfo.InvariantCulture),
            ["threads"] = o.Threads.ToString(CultureInfo.InvariantCulture),
            ["trainer"] = "GenCluster.Training.Quality.ClassifierTrainer (Adam, cosine lr per epoch)",
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training the Fashion-MNIST classifier ({Parameters} parameters) on {Images} images: {Epochs} epochs, batch {BatchSize}, seed {Seed}")]
    private static partial void LogStarted(ILogger logger, int parameters, int images, int epochs, int batchSize, ulong seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: train loss {Loss:F4}, test accuracy {Accuracy:P2} ({Seconds:F0} s)")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss, double accuracy, double seconds);
}
