using GenCluster.Training.Optim;

namespace GenCluster.Training.Quality;

/// <summary>How <see cref="ClassifierTrainer"/> trains the quality metric's <see cref="FashionMnistClassifier"/>.</summary>
public sealed class ClassifierTrainingOptions
{
    /// <summary>Passes over the 60,000 training images.</summary>
    public int Epochs { get; set; } = 8;

    /// <summary>Images per optimizer step.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Seeds the initial weights, the data order and the dropout masks.</summary>
    public ulong Seed { get; set; } = 7;

    /// <summary>libtorch intra-op threads (process-wide).</summary>
    public int Threads { get; set; } = 2;

    /// <summary>Peak Adam learning rate; it follows a cosine from this value to 0 over the run, stepped once per epoch.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Dropout before the last layer.</summary>
    public double Dropout { get; set; } = 0.3;

    /// <summary>Images per forward pass when measuring test accuracy.</summary>
    public int EvaluationBatchSize { get; set; } = 1000;

    /// <summary>The Adam settings other than the learning rate.</summary>
    internal AdamOptions AdamAt(double learningRate) => new() { LearningRate = learningRate };

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0): ½·lr·(1 + cos(π·epoch/Epochs)).</summary>
    public double LearningRateAt(int epoch) => 0.5 * LearningRate * (1 + Math.Cos(Math.PI * epoch / Epochs));

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), Epochs, "1..1000");
        Check(BatchSize is >= 2 and <= 60_000, nameof(BatchSize), BatchSize, "2..60,000 (BatchNorm needs 2)");
        Check(Threads is >= 1 and <= 1024, nameof(Threads), Threads, "1..1024");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "positive");
        Check(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)");
        Check(EvaluationBatchSize is >= 1 and <= 10_000, nameof(EvaluationBatchSize), EvaluationBatchSize, "1..10,000");

        static void Check(bool ok, string name, object value, string range)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}");
            }
        }
    }
}
