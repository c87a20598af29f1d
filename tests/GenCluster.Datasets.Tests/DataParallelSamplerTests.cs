using System.Text.Json;

namespace GenCluster.Datasets.Tests;

public sealed class DataParallelSamplerTests
{
    [Fact]
    public void Same_seed_gives_the_same_batches()
    {
        var a = new DataParallelSampler(1000, 64, seed: 7);
        var b = new DataParallelSampler(1000, 64, seed: 7);

        foreach (long step in new long[] { 0, 1, 14, 15, 16, 100, 12_345 })
        {
            a.GetGlobalBatch(step).Should().Equal(b.GetGlobalBatch(step), $"step {step}");
        }
    }

    [Fact]
    public void Different_seeds_give_different_batches()
    {
        var a = new DataParallelSampler(1000, 64, seed: 7);
        var b = new DataParallelSampler(1000, 64, seed: 8);

        a.GetGlobalBatch(0).Should().NotEqual(b.GetGlobalBatch(0));
        a.GetEpochPermutation(0).Zip(b.GetEpochPermutation(0)).Count(p => p.First == p.Second).Should().BeLessThan(20);
    }

    [Theory]
    [InlineData(1000, 64)]
    [InlineData(60_000, 256)]
    [InlineData(10, 10)]
    [InlineData(7, 1)]
    public void Each_epoch_draws_distinct_indices_and_is_a_permutation(int n, int b)
    {
        var sampler = new DataParallelSampler(n, b, seed: 3);
        sampler.StepsPerEpoch.Should().Be(n / b);

        for (long epoch = 0; epoch < 3; epoch++)
        {
            var drawn = new List<int>();
            for (int j = 0; j < sampler.StepsPerEpoch; j++)
            {
                drawn.AddRange(sampler.GetGlobalBatch((epoch * sampler.StepsPerEpoch) + j));
            }

            drawn.Should().HaveCount(sampler.StepsPerEpoch * b).And.OnlyHaveUniqueItems();
            drawn.Should().OnlyContain(i => i >= 0 && i < n);
            sampler.GetEpochPermutation(epoch).Order().Should().Equal(Enumerable.Range(0, n));
            sampler.GetEpochPermutation(epoch).Take(drawn.Count).Should().Equal(drawn);
        }
    }

    [Fact]
    public void Epochs_are_shuffled_differently()
    {
        var sampler = new DataParallelSampler(1000, 100, seed: 11);

        int[] e0 = sampler.GetEpochPermutation(0);
        int[] e1 = sampler.GetEpochPermutation(1);

        e0.Should().NotEqual(e1);
        e0.Should().NotEqual(Enumerable.Range(0, 1000), "the permutation is shuffled");
    }

    [Fact]
    public void Epoch_boundaries_follow_floor_of_n_over_b()
    {
        var sampler = new DataParallelSampler(1003, 100, seed: 5); // 10 full batches, 3 items dropped per epoch
        sampler.StepsPerEpoch.Should().Be(10);
        int[] e0 = sampler.GetEpochPermutation(0);
        int[] e1 = sampler.GetEpochPermutation(1);

        sampler.EpochOf(9).Should().Be(0);
        sampler.BatchInEpoch(9).Should().Be(9);
        sampler.GetGlobalBatch(9).Should().Equal(e0[900..1000]);
        sampler.EpochOf(10).Should().Be(1);
        sampler.BatchInEpoch(10).Should().Be(0);
        sampler.GetGlobalBatch(10).Should().Equal(e1[..100]);
        sampler.GetGlobalBatch(23).Should().Equal(sampler.GetEpochPermutation(2)[300..400]);
        sampler.GetGlobalBatch(9).Should().Equal(e0[900..1000], "going back to an earlier epoch recomputes it identically");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Union_of_rank_batches_is_the_single_worker_global_batch(int worldSize)
    {
        var sampler = new DataParallelSampler(60_000, 256, seed: 42);

        foreach (long step in new long[] { 0, 1, 233, 234, 1_000 })
        {
            int[] global = sampler.GetGlobalBatch(step);
            int[][] ranks = Enumerable.Range(0, worldSize).Select(r => sampler.GetRankBatch(step, r, worldSize)).ToArray();

            ranks.Should().OnlyContain(batch => batch.Length == 256 / worldSize);
            ranks.SelectMany(batch => batch).Should().Equal(global, "rank r holds positions [r·B/W, (r+1)·B/W) of the global batch");
            for (int r = 0; r < worldSize; r++)
            {
                sampler.GetMicroBatch(step, r, worldSize).Should().Equal(ranks[r], "micro-batch i is rank i's slice");
            }
        }
    }

    [Fact]
    public void Batch_size_not_divisible_by_world_size_is_an_error()
    {
        var sampler = new DataParallelSampler(1000, 10, seed: 1);

        FluentActions.Invoking(() => sampler.GetRankBatch(0, 0, 4)).Should().Throw<ArgumentException>()
            .WithMessage("The global batch size 10 is not divisible by the world size 4*");
        FluentActions.Invoking(() => sampler.LocalBatchSize(3)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => sampler.GetMicroBatch(0, 0, 4)).Should().Throw<ArgumentException>();
        sampler.LocalBatchSize(5).Should().Be(2);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        FluentActions.Invoking(() => new DataParallelSampler(0, 1, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DataParallelSampler(10, 0, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DataParallelSampler(10, 11, 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The global batch size 11 exceeds the dataset size 10*");

        var sampler = new DataParallelSampler(100, 8, 1);
        FluentActions.Invoking(() => sampler.GetGlobalBatch(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => sampler.GetRankBatch(0, 2, 2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => sampler.GetRankBatch(0, -1, 2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => sampler.CopyRankBatch(0, 0, 2, new int[3])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Permutation_matches_an_independent_python_implementation()
    {
        int[] expected = PythonPeer.RunInline(ReferenceAlgorithms.Python, "permutation", "1000", "42", "3")[0]
            .Split(' ').Select(int.Parse).ToArray();

        var sampler = new DataParallelSampler(1000, 100, seed: 42);

        sampler.GetEpochPermutation(3).Should().Equal(expected);
        sampler.GetGlobalBatch(31).Should().Equal(expected[100..200]);
    }

    [Fact]
    public void Copying_a_rank_batch_does_not_allocate_once_the_epoch_is_cached()
    {
        var sampler = new DataParallelSampler(60_000, 256, seed: 9);
        var buffer = new int[64];
        var global = new int[256];
        sampler.CopyRankBatch(5, 1, 4, buffer);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long step = 0; step < 100; step++)
        {
            sampler.CopyRankBatch(step, (int)(step % 4), 4, buffer);
            sampler.CopyMicroBatch(step, 0, 4, buffer);
            sampler.CopyGlobalBatch(step, global);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        buffer.Should().Equal(sampler.GetMicroBatch(99, 0, 4));
        global.Should().Equal(sampler.GetGlobalBatch(99));
    }

    [Fact]
    public void Position_round_trips_through_json_and_resumes_the_same_batches()
    {
        var sampler = new DataParallelSampler(1000, 32, seed: 123_456_789_012UL);
        SamplerPosition saved = sampler.PositionAt(77);

        string json = JsonSerializer.Serialize(saved);
        SamplerPosition restored = JsonSerializer.Deserialize<SamplerPosition>(json);
        var resumed = new DataParallelSampler(1000, 32, restored.Seed);
        long step = resumed.Resume(restored);

        json.Should().Be("""{"Seed":123456789012,"Step":77}""");
        restored.Should().Be(saved);
        step.Should().Be(77);
        resumed.GetRankBatch(step, 1, 2).Should().Equal(sampler.GetRankBatch(77, 1, 2));
        restored.Next().Should().Be(new SamplerPosition(123_456_789_012UL, 78));
        FluentActions.Invoking(() => new DataParallelSampler(1000, 32, 1).Resume(saved)).Should().Throw<ArgumentException>()
            .WithMessage("*saved with seed 123456789012, this sampler has seed 1*");
    }
}
