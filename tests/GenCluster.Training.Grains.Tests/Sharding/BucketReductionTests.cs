using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Shards;
using GenCluster.Training.Optim;

namespace GenCluster.Training.Grains.Tests.Sharding;

public sealed class BucketReductionTests
{
    private static readonly AdamOptions Optimizer = new() { LearningRate = 0.01 };

    [Fact]
    public async Task The_result_does_not_depend_on_the_order_the_ranks_arrive_in()
    {
        var gradients = RandomGradients(ranks: 4, length: 257, seed: 3);
        var inOrder = await Reduce(gradients, [0, 1, 2, 3]);
        foreach (var order in new[] { new[] { 3, 2, 1, 0 }, [2, 0, 3, 1], [1, 3, 0, 2] })
        {
            var result = await Reduce(gradients, order);
            result.Select(BitConverter.SingleToInt32Bits).Should().Equal(inOrder.Select(BitConverter.SingleToInt32Bits), $"order {string.Join(",", order)}");
        }
    }

    [Fact]
    public async Task Every_rank_gets_the_bucket_updated_with_the_rank_order_mean_once_the_last_rank_arrives()
    {
        var gradients = RandomGradients(ranks: 3, length: 10, seed: 5);
        var slice = Enumerable.Range(0, 14).Select(i => i * 0.1f).ToArray();
        var bucket = new BucketReduction(index: 0, offset: 2, length: 10, worldSize: 3, Optimizer, firstStep: 0);

        var first = bucket.Add(0, 2, Copy(gradients[2]), slice);
        var second = bucket.Add(0, 0, Copy(gradients[0]), slice);
        first.IsCompleted.Should().BeFalse("rank 1 has not arrived");
        bucket.MissingRanks.Should().Equal(1);
        var third = bucket.Add(0, 1, Copy(gradients[1]), slice);

        var expectedParameters = Enumerable.Range(0, 14).Select(i => i * 0.1f).ToArray();
        var mean = new float[10];
        for (var i = 0; i < 10; i++)
        {
            mean[i] = (gradients[0][i] + gradients[1][i] + gradients[2][i]) / 3;
        }

        new Adam(10, Optimizer).Step(expectedParameters.AsSpan(2, 10), mean);
        var results = await Task.WhenAll(first, second, third);
        foreach (var result in results)
        {
            result.ToArray().Should().Equal(expectedParameters[2..12]);
        }

        slice.Should().Equal(expectedParameters, "the shard's slice is updated in place, outside the bucket untouched");
        bucket.Step.Should().Be(1);
    }

    [Fact]
    public void A_duplicate_rank_or_a_wrong_step_is_refused()
    {
        var slice = new float[4];
        var bucket = new BucketReduction(0, 0, 4, worldSize: 2, Optimizer, firstStep: 5);
        _ = bucket.Add(5, 0, new float[4], slice);

        Action twice = () => bucket.Add(5, 0, new float[4], slice);
        twice.Should().Throw<InvalidOperationException>().WithMessage("*rank 0*twice*");
        Action stale = () => bucket.Add(4, 1, new float[4], slice);
        stale.Should().Throw<InvalidOperationException>().WithMessage("*collecting step 5*sent step 4*");
        Action shortGradients = () => bucket.Add(5, 1, new float[3], slice);
        shortGradients.Should().Throw<InvalidOperationException>().WithMessage("*4 elements*sent 3*");
    }

    [Fact]
    public async Task Abort_fails_the_waiting_ranks_and_the_step_can_be_collected_again()
    {
        var slice = new float[4];
        var bucket = new BucketReduction(0, 0, 4, worldSize: 2, Optimizer, firstStep: 0);
        var waiting = bucket.Add(0, 0, new float[] { 1, 1, 1, 1 }, slice);

        bucket.Abort(new InvalidOperationException("rank 1 is gone"));

        await waiting.Invoking(t => t).Should().ThrowAsync<InvalidOperationException>().WithMessage("rank 1 is gone");
        slice.Should().OnlyContain(v => v == 0, "an aborted step changes nothing");
        var again = bucket.Add(0, 0, new float[] { 1, 1, 1, 1 }, slice);
        var last = bucket.Add(0, 1, new float[] { 1, 1, 1, 1 }, slice);
        (await Task.WhenAll(again, last)).Should().OnlyContain(r => r.ToArray().All(v => v != 0));
    }

    [Fact]
    public async Task Sum_mode_answers_every_rank_with_the_exact_rank_order_sum_over_consecutive_steps_and_keeps_it_as_the_value()
    {
        var slice = Enumerable.Repeat(-7f, 9).ToArray();
        var bucket = new BucketReduction(0, offset: 3, length: 5, worldSize: 3, Optimizer, firstStep: 0, ShardUpdate.Sum);
        for (var step = 0; step < 2; step++)
        {
            var gradients = RandomGradients(ranks: 3, length: 5, seed: 11 + step);
            var expected = new float[5];
            for (var i = 0; i < 5; i++)
            {
                expected[i] = gradients[0][i] + gradients[1][i] + gradients[2][i]; // rank order, in float
            }

            var last = bucket.Add(step, 1, Copy(gradients[1]), slice);
            var first = bucket.Add(step, 2, Copy(gradients[2]), slice);
            first.IsCompleted.Should().BeFalse("rank 0 has not arrived");
            var middle = bucket.Add(step, 0, Copy(gradients[0]), slice);

            foreach (var result in await Task.WhenAll(first, middle, last))
            {
                result.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits), "the sum, not the mean, and no optimizer step");
            }

            var values = Enumerable.Repeat(5f, 9).ToArray();
            bucket.CopyValues(slice, values);
            values[3..8].Should().Equal(expected, "the bucket's value is the last sum");
            values[..3].Concat(values[8..]).Should().OnlyContain(v => v == 5f, "outside the bucket nothing is written");
            slice.Should().OnlyContain(v => v == -7f, "the sum is not copied into the slice");
        }

        bucket.Step.Should().Be(2);
    }

    [Theory]
    [InlineData(ShardUpdate.Sum)]
    [InlineData(ShardUpdate.Adam)]
    public async Task An_answer_stays_unchanged_while_the_next_step_is_collected(ShardUpdate update)
    {
        // The replies are sent from the answer after the turn; the next step must not overwrite it meanwhile.
        var slice = new float[6];
        var bucket = new BucketReduction(0, offset: 0, length: 6, worldSize: 2, Optimizer, firstStep: 0, update);
        var step0 = await Task.WhenAll(bucket.Add(0, 0, new float[] { 1, 2, 3, 4, 5, 6 }, slice), bucket.Add(0, 1, new float[] { 1, 1, 1, 1, 1, 1 }, slice));
        var answer0 = step0[0].ToArray();

        var step1 = await Task.WhenAll(bucket.Add(1, 0, new float[] { 9, 9, 9, 9, 9, 9 }, slice), bucket.Add(1, 1, new float[] { 8, 8, 8, 8, 8, 8 }, slice));

        step0[0].ToArray().Should().Equal(answer0, "step 0's answer may still be on its way to a rank");
        step0[1].ToArray().Should().Equal(answer0);
        step1[0].ToArray().Should().NotEqual(answer0);
        var values = new float[6];
        bucket.CopyValues(slice, values);
        step1[0].ToArray().Should().Equal(values, "the answer is the bucket's new value");
    }

    [Fact]
    public async Task While_a_step_is_partly_summed_or_after_it_was_aborted_a_sum_mode_bucket_keeps_the_last_complete_sum()
    {
        var slice = new float[3];
        var bucket = new BucketReduction(0, offset: 0, length: 3, worldSize: 3, Optimizer, firstStep: 0, ShardUpdate.Sum);
        await Task.WhenAll(bucket.Add(0, 0, new float[] { 1, 2, 3 }, slice), bucket.Add(0, 1, new float[] { 1, 1, 1 }, slice), bucket.Add(0, 2, new float[] { 0, 0, 1 }, slice));
        var values = new float[3];

        // Step 1: ranks 0 and 1 are summed into the other answer buffer; rank 2 has not arrived.
        var pending = bucket.Add(1, 0, new float[] { 50, 50, 50 }, slice);
        var second = bucket.Add(1, 1, new float[] { 50, 50, 50 }, slice);
        bucket.CopyValues(slice, values);
        values.Should().Equal(2, 3, 5);

        bucket.Abort(new InvalidOperationException("test abort"));
        await FluentActions.Awaiting(() => pending).Should().ThrowAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => second).Should().ThrowAsync<InvalidOperationException>();
        bucket.CopyValues(slice, values);
        values.Should().Equal(2, 3, 5);
    }

    [Fact]
    public void Before_its_first_step_a_sum_mode_bucket_has_the_slice_values()
    {
        var slice = new float[] { 1, 2, 3, 4 };
        var bucket = new BucketReduction(0, offset: 1, length: 2, worldSize: 2, Optimizer, firstStep: 0, ShardUpdate.Sum);
        var values = new float[4];

        bucket.CopyValues(slice, values);

        values.Should().Equal(0, 2, 3, 0);
    }

    [Fact]
    public void A_sum_mode_bucket_has_no_optimizer_state_to_checkpoint_or_restore()
    {
        var bucket = new BucketReduction(0, offset: 1, length: 2, worldSize: 2, Optimizer, firstStep: 0, ShardUpdate.Sum);
        float[] expAvg = new float[4], expAvgSq = new float[4];

        bucket.AdamSteps.Should().Be(0, "a summing bucket never takes an Adam step");
        Action copy = () => bucket.CopyOptimizerState(expAvg, expAvgSq);
        copy.Should().Throw<InvalidOperationException>().WithMessage("*no optimizer state*");
        Action restore = () => bucket.LoadOptimizerState(3, expAvg, expAvgSq);
        restore.Should().Throw<InvalidOperationException>().WithMessage("*no optimizer state*");
    }

    private static async Task<float[]> Reduce(float[][] gradients, int[] order)
    {
        var slice = new float[gradients[0].Length];
        var bucket = new BucketReduction(0, 0, slice.Length, gradients.Length, Optimizer, firstStep: 0);
        var tasks = order.Select(rank => bucket.Add(0, rank, Copy(gradients[rank]), slice)).ToArray();
        return (await Task.WhenAll(tasks))[0].ToArray();
    }

    private static float[][] RandomGradients(int ranks, int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, ranks).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1e-3f).ToArray())];
    }

    private static float[] Copy(float[] values) => [.. values];
}
