namespace GenCluster.Training.Quality;

/// <summary>
/// The mean and covariance of a set of feature vectors, in double precision: what a Fréchet distance
/// compares. Immutable; build one with <see cref="FeatureStatisticsAccumulator"/> or <c>FromFeatures</c>.
/// </summary>
public sealed class FeatureStatistics
{
    private readonly double[] _mean;
    private readonly double[] _covariance;

    /// <summary>Wraps precomputed statistics (copied).</summary>
    /// <param name="count">How many feature vectors they summarise (at least 2).</param>
    /// <param name="mean">The d-dimensional mean.</param>
    /// <param name="covariance">The row-major d×d covariance (unbiased, divided by count − 1).</param>
    /// <exception cref="ArgumentException">Sizes disagree, a value is not finite, or the matrix is not symmetric.</exception>
    public FeatureStatistics(long count, ReadOnlySpan<double> mean, ReadOnlySpan<double> covariance)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a covariance needs at least 2 feature vectors");
        }

        if (mean.IsEmpty)
        {
            throw new ArgumentException("the mean has no dimensions", nameof(mean));
        }

        var d = mean.Length;
        if (covariance.Length != (long)d * d)
        {
            throw new ArgumentException($"a {d}-dimensional mean needs a {d}×{d} covariance ({(long)d * d} values), got {covariance.Length}", nameof(covariance));
        }

        for (var i = 0; i < d; i++)
        {
            if (!double.IsFinite(mean[i]))
            {
                throw new ArgumentException($"mean[{i}] is {mean[i]}", nameof(mean));
            }

            for (var j = 0; j < d; j++)
            {
                var cij = covariance[(i * d) + j];
                if (!double.IsFinite(cij))
                {
                    throw new ArgumentException($"covariance[{i}, {j}] is {cij}", nameof(covariance));
                }

                var cji = covariance[(j * d) + i];
                if (Math.Abs(cij - cji) > 1e-9 * (Math.Abs(cij) + Math.Abs(cji) + 1e-300))
                {
                    throw new ArgumentException($"covariance is not symmetric at ({i}, {j}): {cij} vs {cji}", nameof(covariance));
                }
            }
        }

        Count = count;
        _mean = mean.ToArray();
        _covariance = covariance.ToArray();
    }

    /// <summary>How many feature vectors these statistics summarise.</summary>
    public long Count { get; }

    /// <summary>The feature dimension d.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The mean vector μ.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The covariance Σ, row-major d×d, unbiased (divided by <see cref="Count"/> − 1, as <c>numpy.cov</c>).</summary>
    public ReadOnlySpan<double> Covariance => _covariance;

    /// <summary>The trace of Σ: the total variance, a natural scale for Fréchet distances between these features.</summary>
    public double TotalVariance
    {
        get
        {
            var trace = 0.0;
            for (var i = 0; i < Dimension; i++)
            {
                trace += _covariance[(i * Dimension) + i];
            }

            return trace;
        }
    }

    /// <summary>Statistics of <paramref name="features"/>, a row-major N×d matrix (one feature vector per row).</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of d, fewer than 2 rows, or a value is not finite.</exception>
    public static FeatureStatistics FromFeatures(ReadOnlySpan<float> features, int dimension)
    {
        var accumulator = new FeatureStatisticsAccumulator(dimension);
        accumulator.Add(features);
        return accumulator.ToStatistics();
    }

    /// <inheritdoc cref="FromFeatures(ReadOnlySpan{float}, int)"/>
    public static FeatureStatistics FromFeatures(ReadOnlySpan<double> features, int dimension)
    {
        var accumulator = new FeatureStatisticsAccumulator(dimension);
        accumulator.Add(features);
        return accumulator.ToStatistics();
    }
}
