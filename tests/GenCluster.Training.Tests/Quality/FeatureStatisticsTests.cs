using GenCluster.Training.Quality;

namespace GenCluster.Training.Tests.Quality;

public sealed class FeatureStatisticsTests
{
    [Fact]
    public void Batched_accumulation_matches_the_two_pass_formulas_whatever_the_batching()
    {
        const int d = 12;
        var x = RandomMatrices.Features(1000, d, 8, offset: 3, scale: 2, new Random(1));
        var (mean, covariance) = RandomMatrices.TwoPass(x, d);

        foreach (var batchRows in new[] { 1000, 1, 7, 250, 333 })
        {
            var accumulator = new FeatureStatisticsAccumulator(d);
            for (var start = 0; start < 1000; start += batchRows)
            {
                var rows = Math.Min(batchRows, 1000 - start);
                accumulator.Add(x.AsSpan(start * d, rows * d));
            }

            var statistics = accumulator.ToStatistics();
            statistics.Count.Should().Be(1000);
            RandomMatrices.MaxAbs(statistics.Mean.ToArray().Zip(mean, (a, b) => a - b)).Should().BeLessThan(1e-13, $"batches of {batchRows}");
            RandomMatrices.MaxAbs(statistics.Covariance.ToArray().Zip(covariance, (a, b) => a - b)).Should().BeLessThan(1e-12, $"batches of {batchRows}");
        }
    }

    [Fact]
    public void A_large_common_offset_does_not_cancel_the_covariance()
    {
        // Features around 1e7 with unit spread: Σxxᵀ/n − μμᵀ would lose every digit in double (1e14 − 1e14).
        const int d = 3;
        var x = RandomMatrices.Features(2000, d, 3, offset: 0, scale: 1, new Random(2));
        var (_, expected) = RandomMatrices.TwoPass(x, d);
        var shifted = x.Select(v => v + 1e7).ToArray();
        var accumulator = new FeatureStatisticsAccumulator(d);
        for (var start = 0; start < 2000; start += 128)
        {
            accumulator.Add(shifted.AsSpan(start * d, Math.Min(128, 2000 - start) * d));
        }

        var statistics = accumulator.ToStatistics();
        RandomMatrices.MaxAbs(statistics.Covariance.ToArray().Zip(expected, (a, b) => (a - b) / Math.Max(1e-3, Math.Abs(b)))).Should().BeLessThan(1e-7);
    }

    [Fact]
    public void Float_input_equals_the_same_values_as_double()
    {
        var x = RandomMatrices.Features(300, 5, 5, offset: 1, scale: 1, new Random(3)).Select(v => (float)v).ToArray();
        var fromFloat = FeatureStatistics.FromFeatures(x, 5);
        var fromDouble = FeatureStatistics.FromFeatures(x.Select(v => (double)v).ToArray(), 5);
        fromFloat.Mean.ToArray().Should().Equal(fromDouble.Mean.ToArray());
        fromFloat.Covariance.ToArray().Should().Equal(fromDouble.Covariance.ToArray());
        fromFloat.TotalVariance.Should().BeApproximately(Enumerable.Range(0, 5).Sum(i => fromFloat.Covariance[(i * 5) + i]), 1e-12);
    }

    [Fact]
    public void Rejects_ragged_non_finite_or_too_few_rows_without_changing_state()
    {
        var accumulator = new FeatureStatisticsAccumulator(4);
        accumulator.Add(new float[] { 1, 2, 3, 4 });

        var ragged = () => accumulator.Add(new float[] { 1, 2, 3 });
        ragged.Should().Throw<ArgumentException>().WithMessage("*multiple of 4*got 3*");
        var nan = () => accumulator.Add(new float[] { 1, 2, float.NaN, 4 });
        nan.Should().Throw<ArgumentException>().WithMessage("*feature 2 of row 0*NaN*");
        accumulator.Count.Should().Be(1, "rejected batches add nothing");

        var tooFew = () => accumulator.ToStatistics();
        tooFew.Should().Throw<InvalidOperationException>().WithMessage("*at least 2*1 were added*");

        var asymmetric = () => new FeatureStatistics(10, [0, 0], [1, 0.5, 0.4, 1]);
        asymmetric.Should().Throw<ArgumentException>().WithMessage("*not symmetric*");
    }
}
