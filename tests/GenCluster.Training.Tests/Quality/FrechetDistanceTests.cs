using System.Text.Json;
using GenCluster.Torch;
using GenCluster.Torch.Serialization;
using GenCluster.Training.Quality;
using Xunit.Abstractions;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests.Quality;

public sealed class FrechetDistanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16, 16)]
    [InlineData(128, 128)]
    [InlineData(128, 40)] // rank-deficient covariance, like dead ReLU units
    public void A_set_against_itself_is_zero(int dimension, int rank)
    {
        var x = RandomMatrices.Features(3000, dimension, rank, offset: 2, scale: 3, new Random(dimension + rank));
        var statistics = FeatureStatistics.FromFeatures(x, dimension);
        var distance = FrechetDistance.Between(statistics, statistics);
        // The reported value clamps rounding below zero, so check the unclamped covariance term too.
        var unclamped = (2 * statistics.TotalVariance) - (2 * distance.RootTrace);
        output.WriteLine($"d={dimension} rank={rank}: FID(x, x) = {distance.Value:E3}, unclamped {unclamped:E3}, total variance {statistics.TotalVariance:F3}");
        distance.MeanTerm.Should().Be(0);
        Math.Abs(unclamped).Should().BeLessThanOrEqualTo(1e-6 * statistics.TotalVariance);
        distance.Value.Should().BeLessThanOrEqualTo(1e-6 * statistics.TotalVariance);
        distance.Value.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void Is_symmetric()
    {
        var a = FeatureStatistics.FromFeatures(RandomMatrices.Features(2000, 64, 64, 0, 1, new Random(1)), 64);
        var b = FeatureStatistics.FromFeatures(RandomMatrices.Features(1500, 64, 30, 0.5, 2, new Random(2)), 64);
        var ab = FrechetDistance.Between(a, b);
        var ba = FrechetDistance.Between(b, a);
        output.WriteLine($"FID(a, b) = {ab.Value:R}, FID(b, a) = {ba.Value:R}");
        ab.Value.Should().BeGreaterThan(1, "the sets differ");
        Math.Abs(ab.Value - ba.Value).Should().BeLessThanOrEqualTo(1e-10 * ab.Value);
        Math.Abs(ab.RootTrace - ba.RootTrace).Should().BeLessThanOrEqualTo(1e-10 * ab.RootTrace);
        ab.MeanTerm.Should().Be(ba.MeanTerm);
    }

    [Fact]
    public void Matches_the_closed_form_for_diagonal_covariances()
    {
        // With commuting (here diagonal) covariances the distance is |μ₁ − μ₂|² + Σᵢ (σ₁ᵢ − σ₂ᵢ)².
        double[] mean1 = [0, 1, 2], mean2 = [1, 1, -1];
        double[] var1 = [4, 1, 0.25], var2 = [1, 9, 0];
        var a = new FeatureStatistics(100, mean1, Diagonal(var1));
        var b = new FeatureStatistics(100, mean2, Diagonal(var2));
        var expectedMean = mean1.Zip(mean2, (x, y) => (x - y) * (x - y)).Sum();
        var expectedCovariance = var1.Zip(var2, (x, y) => Math.Pow(Math.Sqrt(x) - Math.Sqrt(y), 2)).Sum();
        var distance = FrechetDistance.Between(a, b);
        distance.MeanTerm.Should().BeApproximately(expectedMean, 1e-12);
        distance.CovarianceTerm.Should().BeApproximately(expectedCovariance, 1e-12);
        distance.Value.Should().BeApproximately(expectedMean + expectedCovariance, 1e-12);

        static double[] Diagonal(double[] values)
        {
            var m = new double[values.Length * values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                m[(i * values.Length) + i] = values[i];
            }

            return m;
        }
    }

    [Fact]
    public void Rejects_different_dimensions()
    {
        var a = FeatureStatistics.FromFeatures(RandomMatrices.Features(10, 3, 3, 0, 1, new Random(1)), 3);
        var b = FeatureStatistics.FromFeatures(RandomMatrices.Features(10, 4, 4, 0, 1, new Random(1)), 4);
        var act = () => FrechetDistance.Between(a, b);
        act.Should().Throw<ArgumentException>().WithMessage("*3 vs 4*");
    }

    public static TheoryData<int, int, int, int, int> PeerCases => new()
    {
        // dimension, rows a, rows b, rank a, rank b
        { 8, 500, 700, 8, 8 },
        { 64, 4000, 3000, 64, 64 },
        { 128, 10000, 5000, 128, 128 },
        { 128, 5000, 5000, 128, 90 },
    };

    [Theory]
    [MemberData(nameof(PeerCases))]
    public void Matches_pytorch_float64_eigh_reference(int dimension, int rowsA, int rowsB, int rankA, int rankB)
    {
        var random = new Random(dimension * 31 + rankB);
        var a = RandomMatrices.Features(rowsA, dimension, rankA, offset: 0, scale: 2, random);
        var b = RandomMatrices.Features(rowsB, dimension, rankB, offset: 0.3, scale: 1.5, random);
        using var dir = new TemporaryDirectory("fid-peer");
        using (var ta = tensor(a, [rowsA, dimension]))
        using (var tb = tensor(b, [rowsB, dimension]))
        {
            SafeTensors.Save([new("a", ta), new("b", tb)], dir.File("features.safetensors"));
        }

        var stdout = PythonPeer.Run(PythonPeer.Script("fid_peer.py"), [dir.File("features.safetensors")], TimeSpan.FromMinutes(2));
        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var theirs = json.RootElement.GetProperty("fid").GetDouble();
        var theirMean = json.RootElement.GetProperty("mean_term").GetDouble();

        var ours = FrechetDistance.Between(FeatureStatistics.FromFeatures(a, dimension), FeatureStatistics.FromFeatures(b, dimension));
        output.WriteLine($"d={dimension}: ours {ours.Value:R} (mean {ours.MeanTerm:R}), PyTorch {theirs:R} (mean {theirMean:R}); relative {Math.Abs(ours.Value - theirs) / theirs:E2}");
        theirs.Should().BeGreaterThan(0.1, "the sets differ, so the comparison is not of two near-zero numbers");
        Math.Abs(ours.Value - theirs).Should().BeLessThanOrEqualTo(1e-6 * theirs);
        Math.Abs(ours.MeanTerm - theirMean).Should().BeLessThanOrEqualTo(1e-9 * Math.Max(theirMean, 1));
    }
}
