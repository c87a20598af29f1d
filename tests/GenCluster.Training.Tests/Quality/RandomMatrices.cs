namespace GenCluster.Training.Tests.Quality;

/// <summary>Seeded random matrices and feature sets for the linear-algebra tests.</summary>
internal static class RandomMatrices
{
    /// <summary>A standard normal sample (Box–Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A random symmetric n×n matrix with N(0, 1) entries.</summary>
    public static double[] Symmetric(int n, Random random)
    {
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = Normal(random);
            }
        }

        return a;
    }

    /// <summary>
    /// N correlated d-dimensional feature vectors, row-major: x = offset + z·M with z ~ N(0, I_k) and M a random
    /// k×d mixing matrix, so the covariance MᵀM has rank min(k, d) and uneven eigenvalues.
    /// </summary>
    public static double[] Features(int count, int dimension, int rank, double offset, double scale, Random random)
    {
        var mixing = new double[rank * dimension];
        for (var i = 0; i < mixing.Length; i++)
        {
            mixing[i] = Normal(random) * scale / Math.Sqrt(rank) * (1 + (i % dimension % 7));
        }

        var x = new double[count * dimension];
        var z = new double[rank];
        for (var r = 0; r < count; r++)
        {
            for (var k = 0; k < rank; k++)
            {
                z[k] = Normal(random);
            }

            for (var j = 0; j < dimension; j++)
            {
                var sum = offset;
                for (var k = 0; k < rank; k++)
                {
                    sum += z[k] * mixing[(k * dimension) + j];
                }

                x[(r * dimension) + j] = sum;
            }
        }

        return x;
    }

    /// <summary>Reference mean and unbiased covariance by the textbook two-pass formulas.</summary>
    public static (double[] Mean, double[] Covariance) TwoPass(double[] x, int dimension)
    {
        var n = x.Length / dimension;
        var mean = new double[dimension];
        for (var r = 0; r < n; r++)
        {
            for (var j = 0; j < dimension; j++)
            {
                mean[j] += x[(r * dimension) + j];
            }
        }

        for (var j = 0; j < dimension; j++)
        {
            mean[j] /= n;
        }

        var covariance = new double[dimension * dimension];
        for (var r = 0; r < n; r++)
        {
            for (var i = 0; i < dimension; i++)
            {
                for (var j = 0; j < dimension; j++)
                {
                    covariance[(i * dimension) + j] += (x[(r * dimension) + i] - mean[i]) * (x[(r * dimension) + j] - mean[j]);
                }
            }
        }

        for (var i = 0; i < covariance.Length; i++)
        {
            covariance[i] /= n - 1;
        }

        return (mean, covariance);
    }

    public static double MaxAbs(IEnumerable<double> values) => values.Select(Math.Abs).DefaultIfEmpty(0).Max();
}
