namespace GenCluster.Training.Quality;

/// <summary>
/// Eigenvalues (and optionally eigenvectors) of a real symmetric matrix by the cyclic Jacobi method:
/// sweeps of plane rotations, each zeroing one off-diagonal pair, until the off-diagonal part is negligible.
/// </summary>
/// <remarks>
/// Jacobi is slower than tridiagonal QR for large matrices but simple, unconditionally stable and accurate
/// (small eigenvalues of positive semi-definite matrices keep their relative accuracy); the matrices here are
/// feature covariances of at most a few hundred dimensions, where a decomposition takes milliseconds.
/// </remarks>
internal sealed class SymmetricEigenDecomposition
{
    /// <summary>Sweeps before giving up; Jacobi converges quadratically, so well-posed inputs need fewer than 15.</summary>
    public const int MaxSweeps = 100;

    private SymmetricEigenDecomposition(double[] values, double[]? vectors, int dimension, int sweeps)
    {
        Values = values;
        Vectors = vectors;
        Dimension = dimension;
        Sweeps = sweeps;
    }

    /// <summary>The matrix size n.</summary>
    public int Dimension { get; }

    /// <summary>Eigenvalues in ascending order (as <c>torch.linalg.eigh</c> returns them).</summary>
    public double[] Values { get; }

    /// <summary>
    /// Row-major n×n matrix whose column j is the unit eigenvector of <see cref="Values"/>[j];
    /// <see langword="null"/> when only eigenvalues were asked for.
    /// </summary>
    public double[]? Vectors { get; }

    /// <summary>Sweeps the decomposition took.</summary>
    public int Sweeps { get; }

    /// <summary>Decomposes the symmetric matrix <paramref name="matrix"/> (row-major n×n; only read, never modified).</summary>
    /// <param name="matrix">The matrix; it must be symmetric within rounding (the mean of a and aᵀ is used).</param>
    /// <param name="dimension">n.</param>
    /// <param name="computeVectors">Whether to accumulate eigenvectors (about twice the work).</param>
    /// <exception cref="ArgumentException">The size is wrong, or an element is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">No convergence within <see cref="MaxSweeps"/> sweeps.</exception>
    public static SymmetricEigenDecomposition Compute(ReadOnlySpan<double> matrix, int dimension, bool computeVectors = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var n = dimension;
        if (matrix.Length != (long)n * n)
        {
            throw new ArgumentException($"a {n}×{n} matrix has {(long)n * n} elements, got {matrix.Length}", nameof(matrix));
        }

        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var value = 0.5 * (matrix[(i * n) + j] + matrix[(j * n) + i]);
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"element ({i}, {j}) is {matrix[(i * n) + j]}; the matrix must be finite", nameof(matrix));
                }

                a[(i * n) + j] = value;
            }
        }

        double[]? v = null;
        if (computeVectors)
        {
            v = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                v[(i * n) + i] = 1;
            }
        }

        var sweeps = Diagonalise(a, v, n);
        return Sorted(a, v, n, sweeps);
    }

    private static int Diagonalise(double[] a, double[]? v, int n)
    {
        var norm = 0.0;
        foreach (var x in a)
        {
            norm += x * x;
        }

        norm = Math.Sqrt(norm);
        if (norm == 0 || n == 1)
        {
            return 0;
        }

        // A pair is rotated away unless it is negligible both next to its own diagonal entries (which
        // keeps small eigenvalues relatively accurate) and next to the whole matrix (which guarantees the
        // sweeps end even when diagonal entries underflow).
        const double relative = 2.220446049250313e-16; // machine epsilon of double
        var absoluteFloor = 1e-20 * norm;
        for (var sweep = 1; sweep <= MaxSweeps; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[(p * n) + q];
                    var app = a[(p * n) + p];
                    var aqq = a[(q * n) + q];
                    if (Math.Abs(apq) <= absoluteFloor || Math.Abs(apq) <= relative * Math.Sqrt(Math.Abs(app * aqq)))
                    {
                        continue;
                    }

                    rotated = true;
                    Rotate(a, v, n, p, q, apq, app, aqq);
                }
            }

            if (!rotated)
            {
                return sweep;
            }
        }

        throw new InvalidOperationException($"Jacobi eigendecomposition of a {n}×{n} matrix did not converge in {MaxSweeps} sweeps");
    }

    /// <summary>Applies the rotation J(p, q, θ) that zeroes a[p, q]: a ← Jᵀ a J, v ← v J.</summary>
    private static void Rotate(double[] a, double[]? v, int n, int p, int q, double apq, double app, double aqq)
    {
        // t = tan θ is the smaller root of t² + 2τt − 1 = 0, so |θ| ≤ π/4 and the rotation disturbs
        // the rest of the matrix as little as possible.
        var tau = (aqq - app) / (2 * apq);
        var t = Math.Abs(tau) > 1e150
            ? 1 / (2 * tau)
            : Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + (tau * tau)));
        var c = 1 / Math.Sqrt(1 + (t * t));
        var s = t * c;

        for (var k = 0; k < n; k++)
        {
            if (k == p || k == q)
            {
                continue;
            }

            var akp = a[(k * n) + p];
            var akq = a[(k * n) + q];
            var newKp = (c * akp) - (s * akq);
            var newKq = (s * akp) + (c * akq);
            a[(k * n) + p] = newKp;
            a[(p * n) + k] = newKp;
            a[(k * n) + q] = newKq;
            a[(q * n) + k] = newKq;
        }

        a[(p * n) + p] = app - (t * apq);
        a[(q * n) + q] = aqq + (t * apq);
        a[(p * n) + q] = 0;
        a[(q * n) + p] = 0;

        if (v is null)
        {
            return;
        }

        for (var k = 0; k < n; k++)
        {
            var vkp = v[(k * n) + p];
            var vkq = v[(k * n) + q];
            v[(k * n) + p] = (c * vkp) - (s * vkq);
            v[(k * n) + q] = (s * vkp) + (c * vkq);
        }
    }

    private static SymmetricEigenDecomposition Sorted(double[] a, double[]? v, int n, int sweeps)
    {
        var order = Enumerable.Range(0, n).OrderBy(i => a[(i * n) + i]).ToArray();
        var values = new double[n];
        var vectors = v is null ? null : new double[n * n];
        for (var j = 0; j < n; j++)
        {
            var source = order[j];
            values[j] = a[(source * n) + source];
            if (vectors is not null)
            {
                for (var k = 0; k < n; k++)
                {
                    vectors[(k * n) + j] = v![(k * n) + source];
                }
            }
        }

        return new SymmetricEigenDecomposition(values, vectors, n, sweeps);
    }
}
