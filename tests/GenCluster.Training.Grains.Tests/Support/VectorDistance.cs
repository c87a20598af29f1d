namespace GenCluster.Training.Grains.Tests.Support;

/// <summary>Distances between flat parameter vectors, accumulated in double.</summary>
internal static class VectorDistance
{
    /// <summary>‖a − b‖₂ / ‖b‖₂.</summary>
    public static double Relative(float[] actual, float[] expected)
    {
        actual.Length.Should().Be(expected.Length, "both vectors must describe the same model");
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            double delta = actual[i] - (double)expected[i];
            difference += delta * delta;
            norm += (double)expected[i] * expected[i];
        }

        return Math.Sqrt(difference) / Math.Max(Math.Sqrt(norm), 1e-30);
    }

    /// <summary>The largest |a − b| over all elements.</summary>
    public static double MaxAbsolute(float[] actual, float[] expected) =>
        actual.Zip(expected, (a, b) => Math.Abs(a - (double)b)).Max();
}
