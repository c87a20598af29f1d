using GenCluster.Datasets;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Quality;

/// <summary>Top-1 accuracy of a <see cref="FashionMnistClassifier"/> on a Fashion-MNIST split.</summary>
internal static class ClassifierAccuracy
{
    /// <summary>
    /// The fraction of <paramref name="data"/> classified correctly, in evaluation mode (the module's mode is restored).
    /// </summary>
    public static double Measure(FashionMnistClassifier classifier, FashionMnist data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var wasTraining = classifier.training;
        classifier.eval();
        using var noGrad = no_grad();
        try
        {
            var images = data.Images.Span;
            var labels = data.Labels.Span;
            var correct = 0L;
            for (var start = 0; start < data.Count; start += batchSize)
            {
                var count = Math.Min(batchSize, data.Count - start);
                using var scope = NewDisposeScope();
                var x = tensor(images.Slice(start * FashionMnist.PixelsPerImage, count * FashionMnist.PixelsPerImage), [count, 1, 28, 28]);
                var predicted = classifier.forward(x).argmax(1).ToArray<long>();
                for (var i = 0; i < count; i++)
                {
                    if (predicted[i] == labels[start + i])
                    {
                        correct++;
                    }
                }
            }

            return (double)correct / data.Count;
        }
        finally
        {
            classifier.train(wasTraining);
        }
    }
}
