using GenCluster.Datasets;
using GenCluster.Training.Quality;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Tests.Quality;

/// <summary>One evaluator (classifier loaded, test-set statistics cached) and the test split for the quality tests.</summary>
public sealed class QualityFixture : IDisposable
{
    public QualityFixture()
    {
        Evaluator = Create(new QualityEvaluatorOptions { SampleCount = 1000 });
    }

    public QualityEvaluator Evaluator { get; }

    public FashionMnist Test { get; } = new(FashionMnistSplit.Test);

    public static QualityEvaluator Create(QualityEvaluatorOptions options) =>
        new(Options.Create(options), NullLogger<QualityEvaluator>.Instance, TimeProvider.System);

    public void Dispose() => Evaluator.Dispose();
}
