namespace GenCluster.Datasets.Tests;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void SplitMix64_matches_the_published_algorithm_computed_in_python()
    {
        ulong[] expected = ReferenceAlgorithms.Numbers("splitmix64", "1234567", "8");

        ulong state = 1234567;
        ulong[] actual = Enumerable.Range(0, 8).Select(_ => DeterministicRandom.SplitMix64Next(ref state)).ToArray();

        actual.Should().Equal(expected);
        expected.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Xoshiro256StarStar_seeded_by_SplitMix64_matches_python()
    {
        ulong[] expected = ReferenceAlgorithms.Numbers("xoshiro", "1234567", "10");

        var rng = new DeterministicRandom(1234567);
        ulong[] actual = Enumerable.Range(0, 10).Select(_ => rng.NextUInt64()).ToArray();

        actual.Should().Equal(expected);
    }

    [Fact]
    public void Bounded_integers_match_python_including_rejections()
    {
        // Bounds near 2^63 make rejections likely, so the retry path is exercised too.
        string[] bounds = ["10", "1", "7", "9223372036854775809", "9223372036854775809", "9223372036854775809", "9223372036854775809", "1000", "18446744073709551615", "3"];
        ulong[] expected = ReferenceAlgorithms.Numbers(["bounded", "99", .. bounds]);

        var rng = new DeterministicRandom(99);
        ulong[] actual = bounds.Select(b => rng.NextBounded(ulong.Parse(b, System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        actual.Should().Equal(expected);
    }

    [Fact]
    public void Mix_matches_its_documented_definition_in_python()
    {
        ulong expected = ReferenceAlgorithms.Numbers("mix", "42", "1000", "3", "7")[0];
        ulong expectedEmpty = ReferenceAlgorithms.Numbers("mix")[0];

        DeterministicRandom.Mix(42, 1000, 3, 7).Should().Be(expected);
        DeterministicRandom.DeriveSeed(42, step: 1000, rank: 3, stream: 7).Should().Be(expected);
        DeterministicRandom.Mix().Should().Be(expectedEmpty);
    }

    [Fact]
    public void Mix_depends_on_order_count_and_every_key()
    {
        ulong baseline = DeterministicRandom.Mix(1, 2, 3);

        DeterministicRandom.Mix(2, 1, 3).Should().NotBe(baseline);
        DeterministicRandom.Mix(1, 2, 3, 0).Should().NotBe(baseline);
        DeterministicRandom.Mix(1, 2).Should().NotBe(baseline);
        DeterministicRandom.Mix(1, 2, 4).Should().NotBe(baseline);
        DeterministicRandom.Mix(1, 2, 3).Should().Be(baseline);

        ulong[] perRank = Enumerable.Range(0, 64).Select(r => DeterministicRandom.DeriveSeed(7, 5, r, 1)).ToArray();
        perRank.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Same_seed_gives_the_same_sequence_and_different_seeds_differ()
    {
        var a = new DeterministicRandom(5);
        var b = new DeterministicRandom(5);
        var c = new DeterministicRandom(6);
        var seqA = new ulong[100];
        var seqB = new ulong[100];
        var seqC = new ulong[100];

        a.Fill(seqA);
        b.Fill(seqB);
        c.Fill(seqC);

        seqA.Should().Equal(seqB);
        seqA.Zip(seqC).Count(p => p.First == p.Second).Should().Be(0);
        DeterministicRandom.ForKeys(1, 2).NextUInt64().Should().Be(new DeterministicRandom(DeterministicRandom.Mix(1, 2)).NextUInt64());
    }

    [Fact]
    public void Uniform_values_stay_in_range_and_are_roughly_uniform()
    {
        var rng = new DeterministicRandom(2024);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            counts[rng.NextInt32(10)]++;
        }

        counts.Should().OnlyContain(c => c > 9_500 && c < 10_500);

        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double d = rng.NextDouble();
            float f = rng.NextSingle();
            d.Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(1);
            f.Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(1);
            sum += d;
        }

        (sum / 100_000).Should().BeApproximately(0.5, 0.01);
    }

    [Fact]
    public void Bounds_must_be_positive()
    {
        var rng = new DeterministicRandom(1);

        FluentActions.Invoking(() => rng.NextBounded(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => rng.NextInt32(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => rng.NextInt32(-3)).Should().Throw<ArgumentOutOfRangeException>();
        rng.NextBounded(1).Should().Be(0);
    }
}
