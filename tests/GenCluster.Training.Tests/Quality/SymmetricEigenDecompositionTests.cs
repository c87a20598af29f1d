using GenCluster.Training.Quality;

namespace GenCluster.Training.Tests.Quality;

public sealed class SymmetricEigenDecompositionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(128)]
    public void Reconstructs_a_random_symmetric_matrix_with_orthonormal_vectors(int n)
    {
        var a = RandomMatrices.Symmetric(n, new Random(n));
        var eigen = SymmetricEigenDecomposition.Compute(a, n);
        var v = eigen.Vectors!;
        var norm = Math.Sqrt(a.Sum(x => x * x));

        // A·v_j = λ_j·v_j for every column, and VᵀV = I.
        var residual = 0.0;
        var orthogonality = 0.0;
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < n; i++)
            {
                var av = 0.0;
                for (var k = 0; k < n; k++)
                {
                    av += a[(i * n) + k] * v[(k * n) + j];
                }

                residual = Math.Max(residual, Math.Abs(av - (eigen.Values[j] * v[(i * n) + j])));
            }

            for (var l = 0; l < n; l++)
            {
                var dot = 0.0;
                for (var k = 0; k < n; k++)
                {
                    dot += v[(k * n) + j] * v[(k * n) + l];
                }

                orthogonality = Math.Max(orthogonality, Math.Abs(dot - (j == l ? 1 : 0)));
            }
        }

        residual.Should().BeLessThan(1e-12 * norm);
        orthogonality.Should().BeLessThan(1e-12);
        eigen.Values.Should().BeInAscendingOrder();
        eigen.Values.Sum().Should().BeApproximately(Enumerable.Range(0, n).Sum(i => a[(i * n) + i]), 1e-10 * norm, "the trace is the sum of the eigenvalues");
    }

    [Fact]
    public void Two_by_two_matches_the_closed_form()
    {
        // [[a, b], [b, c]]: λ = (a + c)/2 ± √(((a − c)/2)² + b²).
        double a = 3, b = -1.25, c = -0.5;
        var eigen = SymmetricEigenDecomposition.Compute([a, b, b, c], 2);
        var mid = (a + c) / 2;
        var radius = Math.Sqrt((((a - c) / 2) * ((a - c) / 2)) + (b * b));
        eigen.Values[0].Should().BeApproximately(mid - radius, 1e-14);
        eigen.Values[1].Should().BeApproximately(mid + radius, 1e-14);
    }

    [Fact]
    public void Keeps_tiny_eigenvalues_of_a_graded_positive_definite_matrix_relatively_accurate()
    {
        // Q·diag(1e-12, …, 1e-3, 1)·Qᵀ for an orthogonal Q: eigenvalues spread over twelve decades.
        const int n = 5;
        var expected = new[] { 1e-12, 1e-9, 1e-6, 1e-3, 1.0 };
        var q = SymmetricEigenDecomposition.Compute(RandomMatrices.Symmetric(n, new Random(3)), n).Vectors!;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++)
                {
                    a[(i * n) + j] += q[(i * n) + k] * expected[k] * q[(j * n) + k];
                }
            }
        }

        var values = SymmetricEigenDecomposition.Compute(a, n, computeVectors: false).Values;
        values[^1].Should().BeApproximately(1.0, 1e-13);
        values[^2].Should().BeApproximately(1e-3, 1e-13);
        // The matrix entries themselves carry rounding of order ε·‖A‖ = 2e-16, which bounds what any method can recover.
        values[0].Should().BeApproximately(1e-12, 1e-14);
    }

    [Fact]
    public void Zero_matrix_and_diagonal_matrix_need_no_rotation()
    {
        SymmetricEigenDecomposition.Compute(new double[9], 3).Values.Should().Equal(0, 0, 0);
        var diagonal = SymmetricEigenDecomposition.Compute([5, 0, 0, 0, -2, 0, 0, 0, 1], 3);
        diagonal.Values.Should().Equal(-2, 1, 5);
        diagonal.Sweeps.Should().Be(1);
        diagonal.Vectors.Should().Equal(0, 0, 1, 1, 0, 0, 0, 1, 0);
    }

    [Fact]
    public void Rejects_wrong_sizes_and_non_finite_values()
    {
        var wrongSize = () => SymmetricEigenDecomposition.Compute(new double[5], 2);
        wrongSize.Should().Throw<ArgumentException>().WithMessage("*2×2*4*got 5*");
        var nan = () => SymmetricEigenDecomposition.Compute([1, double.NaN, double.NaN, 1], 2);
        nan.Should().Throw<ArgumentException>().WithMessage("*(0, 1)*finite*");
        var zero = () => SymmetricEigenDecomposition.Compute([], 0);
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }
}
