namespace GenCluster.Imaging.Tests;

public class MovingAverageTests
{
    [Fact]
    public void Window_of_one_returns_the_values()
    {
        MovingAverage.Trailing([3, 1, 4, 1, 5], 1).Should().Equal(3, 1, 4, 1, 5);
    }

    [Fact]
    public void Trailing_window_averages_the_last_values_and_shorter_prefixes()
    {
        MovingAverage.Trailing([2, 4, 6, 8, 10], 3).Should().Equal(2, 3, 4, 6, 8);
    }

    [Fact]
    public void Window_longer_than_the_series_is_a_running_mean()
    {
        MovingAverage.Trailing([1, 2, 3], 10).Should().Equal(1, 1.5, 2);
    }

    [Fact]
    public void Long_series_matches_a_direct_computation()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 10_000).Select(_ => (rng.NextDouble() * 1e6) + 1e9).ToArray();

        var smoothed = MovingAverage.Trailing(values, 37);

        for (var i = 0; i < values.Length; i += 997)
        {
            var start = Math.Max(0, i - 36);
            smoothed[i].Should().BeApproximately(values[start..(i + 1)].Average(), 1e-4);
        }
    }

    [Fact]
    public void Zero_window_is_rejected()
    {
        var act = () => MovingAverage.Trailing([1.0], 0);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
