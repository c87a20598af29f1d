namespace GenCluster.Imaging;

/// <summary>Trailing moving average, the usual way to smooth a noisy loss curve.</summary>
internal static class MovingAverage
{
    /// <summary>
    /// Element <c>i</c> of the result is the mean of <c>values[max(0, i - window + 1) .. i]</c>,
    /// so the first points average over fewer values. A window of 1 returns a copy.
    /// </summary>
    public static double[] Trailing(ReadOnlySpan<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        var result = new double[values.Length];
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            // Re-sum now and then so rounding error in the running sum cannot accumulate.
            if (i % 4096 == 4095)
            {
                sum = 0;
                for (var j = Math.Max(0, i - window + 1); j <= i; j++)
                {
                    sum += values[j];
                }
            }

            result[i] = sum / Math.Min(i + 1, window);
        }

        return result;
    }
}
