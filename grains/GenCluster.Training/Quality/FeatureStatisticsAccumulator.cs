namespace GenCluster.Training.Quality;

/// <summary>
/// Accumulates the mean and covariance of feature vectors arriving in batches, in double precision and
/// without the cancellation of the one-pass Σxxᵀ/n − μμᵀ formula.
/// </summary>
/// <remarks>
/// Each batch is summarised exactly by two passes (its mean, then the scatter about that mean), and batches
/// are merged with Chan, Golub and LeVeque's pairwise update: with δ = μ_b − μ_a,
/// μ = μ_a + δ·n_b/n and M = M_a + M_b + δδᵀ·n_a·n_b/n. The result does not depend on how the data is batched
/// beyond rounding.
/// </remarks>
public sealed class FeatureStatisticsAccumulator
{
    private readonly int _dimension;
    private readonly double[] _mean;
    private readonly double[] _scatter;
    private readonly double[] _batchMean;
    private readonly double[] _batchScatter;
    private readonly double[] _centred;

    /// <summary>Starts an empty accumulator for <paramref name="dimension"/>-dimensional features.</summary>
    public FeatureStatisticsAccumulator(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 4096);
        _dimension = dimension;
        _mean = new double[dimension];
        _scatter = new double[dimension * dimension];
        _batchMean = new double[dimension];
        _batchScatter = new double[dimension * dimension];
        _centred = new double[dimension];
    }

    /// <summary>The feature dimension d.</summary>
    public int Dimension => _dimension;

    /// <summary>Feature vectors added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a batch: a row-major B×d matrix of float features.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of d, or a value is not finite; nothing is added.</exception>
    public void Add(ReadOnlySpan<float> features)
    {
        Rows(features.Length);
        var widened = System.Buffers.ArrayPool<double>.Shared.Rent(features.Length);
        try
        {
            for (var i = 0; i < features.Length; i++)
            {
                widened[i] = features[i];
            }

            Add(widened.AsSpan(0, features.Length));
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(widened);
        }
    }

    /// <summary>Adds a batch: a row-major B×d matrix of double features.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of d, or a value is not finite; nothing is added.</exception>
    public void Add(ReadOnlySpan<double> features)
    {
        var rows = Rows(features.Length);
        var d = _dimension;
        for (var i = 0; i < features.Length; i++)
        {
            if (!double.IsFinite(features[i]))
            {
                throw new ArgumentException($"feature {i % d} of row {i / d} is {features[i]}", nameof(features));
            }
        }

        // Pass 1: the batch mean.
        Array.Clear(_batchMean);
        for (var r = 0; r < rows; r++)
        {
            var row = features.Slice(r * d, d);
            for (var j = 0; j < d; j++)
            {
                _batchMean[j] += row[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            _batchMean[j] /= rows;
        }

        // Pass 2: the upper triangle of Σ (x − μ_b)(x − μ_b)ᵀ over the batch.
        Array.Clear(_batchScatter);
        for (var r = 0; r < rows; r++)
        {
            var row = features.Slice(r * d, d);
            for (var j = 0; j < d; j++)
            {
                _centred[j] = row[j] - _batchMean[j];
            }

            for (var i = 0; i < d; i++)
            {
                var ci = _centred[i];
                if (ci == 0)
                {
                    continue;
                }

                var target = _batchScatter.AsSpan(i * d, d);
                for (var j = i; j < d; j++)
                {
                    target[j] += ci * _centred[j];
                }
            }
        }

        Merge(rows);
    }

    /// <summary>The statistics of everything added so far.</summary>
    /// <exception cref="InvalidOperationException">Fewer than 2 feature vectors were added.</exception>
    public FeatureStatistics ToStatistics()
    {
        if (Count < 2)
        {
            throw new InvalidOperationException($"a covariance needs at least 2 feature vectors; {Count} were added");
        }

        var covariance = new double[_scatter.Length];
        var d = _dimension;
        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                var value = _scatter[(i * d) + j] / (Count - 1);
                covariance[(i * d) + j] = value;
                covariance[(j * d) + i] = value;
            }
        }

        return new FeatureStatistics(Count, _mean, covariance);
    }

    private int Rows(int length)
    {
        if (length == 0 || length % _dimension != 0)
        {
            throw new ArgumentException($"a batch of {_dimension}-dimensional features needs a positive multiple of {_dimension} values, got {length}", "features");
        }

        return length / _dimension;
    }

    private void Merge(int rows)
    {
        var d = _dimension;
        var before = Count;
        var after = before + rows;
        var weight = (double)before * rows / after;
        for (var i = 0; i < d; i++)
        {
            var deltaI = _batchMean[i] - _mean[i];
            for (var j = i; j < d; j++)
            {
                var deltaJ = _batchMean[j] - _mean[j];
                _scatter[(i * d) + j] += _batchScatter[(i * d) + j] + (deltaI * deltaJ * weight);
            }
        }

        for (var j = 0; j < d; j++)
        {
            _mean[j] += (_batchMean[j] - _mean[j]) * rows / after;
        }

        Count = after;
    }
}
