namespace GenCluster.Training.Quality;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets (the squared 2-Wasserstein distance;
/// "FID" when the features come from a classifier):
/// d² = |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½).
/// </summary>
/// <param name="Value">d² = <see cref="MeanTerm"/> + <see cref="CovarianceTerm"/>.</param>
/// <param name="MeanTerm">|μ₁ − μ₂|².</param>
/// <param name="CovarianceTerm">Tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½), never negative (rounding below 0 is clamped).</param>
/// <param name="RootTrace">Tr((Σ₁^½ Σ₂ Σ₁^½)^½) as computed, before any clamping.</param>
public readonly record struct FrechetDistance(double Value, double MeanTerm, double CovarianceTerm, double RootTrace)
{
    /// <summary>The distance between <paramref name="first"/> and <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentException">The feature dimensions differ.</exception>
    /// <remarks>
    /// <para>
    /// Σ^½ comes from a symmetric eigendecomposition Σ = V Λ Vᵀ (Jacobi, <see cref="SymmetricEigenDecomposition"/>)
    /// as V Λ^½ Vᵀ, negative rounding noise in Λ clamped to 0, so singular covariances (dead ReLU units) are fine.
    /// </para>
    /// <para>
    /// Tr((Σ₁^½ Σ₂ Σ₁^½)^½) equals the sum of the singular values of B = Σ₂^½ Σ₁^½, since Σ₁^½ Σ₂ Σ₁^½ = BᵀB.
    /// Those singular values are taken as the positive eigenvalues of the symmetric matrix [[0, B], [Bᵀ, 0]]
    /// (whose eigenvalues are ±σᵢ), so they carry absolute errors of order ε‖B‖. Taking square roots of the
    /// eigenvalues of BᵀB instead would turn an ε-sized error of a near-zero eigenvalue into a √ε-sized one.
    /// </para>
    /// </remarks>
    public static FrechetDistance Between(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Dimension != second.Dimension)
        {
            throw new ArgumentException($"feature dimensions differ: {first.Dimension} vs {second.Dimension}", nameof(second));
        }

        var n = first.Dimension;
        var meanTerm = 0.0;
        for (var i = 0; i < n; i++)
        {
            var delta = first.Mean[i] - second.Mean[i];
            meanTerm += delta * delta;
        }

        var sqrtFirst = SquareRoot(first.Covariance, n);
        var sqrtSecond = SquareRoot(second.Covariance, n);
        var product = Multiply(sqrtSecond, sqrtFirst, n);
        var traceOfRoot = NuclearNorm(product, n);
        var covarianceTerm = Math.Max(0, first.TotalVariance + second.TotalVariance - (2 * traceOfRoot));
        return new FrechetDistance(meanTerm + covarianceTerm, meanTerm, covarianceTerm, traceOfRoot);
    }

    /// <summary>The symmetric positive semi-definite square root V·diag(√max(λ, 0))·Vᵀ.</summary>
    internal static double[] SquareRoot(ReadOnlySpan<double> symmetric, int n)
    {
        var eigen = SymmetricEigenDecomposition.Compute(symmetric, n);
        var v = eigen.Vectors!;
        var roots = eigen.Values.Select(x => Math.Sqrt(Math.Max(0, x))).ToArray();
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += v[(i * n) + k] * roots[k] * v[(j * n) + k];
                }

                result[(i * n) + j] = sum;
                result[(j * n) + i] = sum;
            }
        }

        return result;
    }

    /// <summary>The sum of the singular values of the n×n matrix <paramref name="b"/>.</summary>
    internal static double NuclearNorm(double[] b, int n)
    {
        var m = 2 * n;
        var dilation = new double[m * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                dilation[(i * m) + n + j] = b[(i * n) + j];
                dilation[((n + j) * m) + i] = b[(i * n) + j];
            }
        }

        var eigen = SymmetricEigenDecomposition.Compute(dilation, m, computeVectors: false);
        var sum = 0.0;
        foreach (var value in eigen.Values)
        {
            sum += Math.Abs(value);
        }

        return sum / 2;
    }

    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            var row = result.AsSpan(i * n, n);
            for (var k = 0; k < n; k++)
            {
                var aik = a[(i * n) + k];
                if (aik == 0)
                {
                    continue;
                }

                var bRow = b.AsSpan(k * n, n);
                for (var j = 0; j < n; j++)
                {
                    row[j] += aik * bRow[j];
                }
            }
        }

        return result;
    }
}
