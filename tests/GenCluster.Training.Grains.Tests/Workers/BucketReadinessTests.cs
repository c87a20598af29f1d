using GenCluster.Torch;
using GenCluster.Training.Grains.Sharding;
using GenCluster.Training.Grains.Workers;

namespace GenCluster.Training.Grains.Tests.Workers;

public sealed class BucketReadinessTests
{
    // Parameters of 5, 3 and 8 elements (offsets 0, 5, 8) over 2 shards of 8 with buckets of 3:
    // buckets [0,3) [3,6) [6,8) | [8,11) [11,14) [14,16).
    private static readonly ParameterSlot[] Parameters = [new("a", 0, [5]), new("b", 5, [3]), new("c", 8, [2, 4])];

    private static IReadOnlyList<BucketSlice> Buckets => ShardLayout.Create(16, 2, 3).Buckets;

    [Fact]
    public void A_bucket_is_released_once_every_parameter_overlapping_it_is_ready()
    {
        var readiness = new BucketReadiness(Parameters, Buckets);

        readiness.ParameterReady(2);
        Drain(readiness).Select(b => b.Offset).Should().BeEquivalentTo([8L, 11L, 14L], "c alone covers the second shard");

        readiness.ParameterReady(1);
        Drain(readiness).Select(b => b.Offset).Should().Equal([6L], "[3,6) also holds elements of a");

        readiness.ParameterReady(0);
        Drain(readiness).Select(b => b.Offset).Should().BeEquivalentTo([0L, 3L]);
        readiness.Ready.Completion.IsCompleted.Should().BeFalse("the pass has not ended");
    }

    [Fact]
    public void A_repeated_report_does_not_count_twice()
    {
        var readiness = new BucketReadiness(Parameters, Buckets);
        readiness.ParameterReady(1);
        readiness.ParameterReady(1);
        Drain(readiness).Select(b => b.Offset).Should().Equal([6L], "[3,6) waits for a, and b's second report must not stand in for it");
    }

    [Fact]
    public void The_end_of_the_pass_releases_what_is_left_last_bucket_first_and_each_bucket_once()
    {
        var readiness = new BucketReadiness(Parameters, Buckets);
        readiness.ParameterReady(2);
        var early = Drain(readiness);

        readiness.Complete();

        Drain(readiness).Select(b => b.Offset).Should().Equal(6L, 3L, 0L);
        early.Should().HaveCount(3);
        readiness.Ready.Completion.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task A_failed_pass_releases_nothing_more_and_ends_the_reader_with_its_error()
    {
        var readiness = new BucketReadiness(Parameters, Buckets);
        readiness.ParameterReady(2);
        Drain(readiness);

        readiness.Complete(new InvalidOperationException("backward failed"));

        Drain(readiness).Should().BeEmpty();
        await FluentActions.Awaiting(() => readiness.Ready.Completion).Should().ThrowAsync<InvalidOperationException>().WithMessage("backward failed");
    }

    [Fact]
    public void An_index_outside_the_layout_is_refused()
    {
        var readiness = new BucketReadiness(Parameters, Buckets);
        FluentActions.Invoking(() => readiness.ParameterReady(3)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static List<BucketSlice> Drain(BucketReadiness readiness)
    {
        var buckets = new List<BucketSlice>();
        while (readiness.Ready.TryRead(out var bucket))
        {
            buckets.Add(bucket);
        }

        return buckets;
    }
}
