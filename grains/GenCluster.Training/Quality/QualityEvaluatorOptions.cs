namespace GenCluster.Training.Quality;

/// <summary>Settings of <see cref="QualityEvaluator"/>: which classifier, how many samples, which seed.</summary>
public sealed class QualityEvaluatorOptions
{
    /// <summary>Where the classifier weights are looked for when <see cref="ClassifierPath"/> is not set: next to the application.</summary>
    public static string DefaultClassifierPath => Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-classifier.safetensors");

    /// <summary>The classifier weights (written by <c>gencluster train-classifier</c>); <see cref="DefaultClassifierPath"/> when null.</summary>
    public string? ClassifierPath { get; set; }

    /// <summary>The Fashion-MNIST directory holding the test split; the dataset's default resolution when null.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Generated images per score (the metric compares them with the 10,000 test images).</summary>
    public int SampleCount { get; set; } = 10_000;

    /// <summary>Images per forward pass of the generator and the classifier.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Seeds the latent vectors, so two generators are scored on the same noise.</summary>
    public ulong Seed { get; set; } = 1234;

    /// <summary>The weights file actually used.</summary>
    public string ResolvedClassifierPath => string.IsNullOrEmpty(ClassifierPath) ? DefaultClassifierPath : ClassifierPath;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (SampleCount is < 2 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleCount), SampleCount, "SampleCount must be 2..1,000,000");
        }

        if (BatchSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be 1..10,000");
        }
    }
}
