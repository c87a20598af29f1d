using GenCluster.Training.Grains.Sharding;

namespace GenCluster.Training.Grains.Tests.Sharding;

public sealed class ShardLayoutTests
{
    [Theory]
    [InlineData(10, 3, 4)]
    [InlineData(1000, 1, 1000)]
    [InlineData(1000, 7, 33)]
    [InlineData(5, 5, 1)]
    public void Shards_tile_the_vector_and_buckets_tile_each_shard_without_crossing_it(long parameters, int shards, int bucketElements)
    {
        var layout = ShardLayout.Create(parameters, shards, bucketElements);

        layout.Shards.Should().HaveCount(shards);
        layout.Shards.Sum(s => (long)s.Length).Should().Be(parameters);
        (layout.Shards.Max(s => s.Length) - layout.Shards.Min(s => s.Length)).Should().BeLessThanOrEqualTo(1, "slices are balanced");
        long next = 0;
        foreach (var shard in layout.Shards)
        {
            shard.Offset.Should().Be(next);
            var inner = shard.Offset;
            foreach (var bucket in shard.Buckets)
            {
                bucket.Shard.Should().Be(shard.Shard);
                bucket.Offset.Should().Be(inner);
                bucket.Length.Should().BeInRange(1, bucketElements);
                inner += bucket.Length;
            }

            inner.Should().Be(shard.Offset + shard.Length, "a shard's buckets end where the shard ends");
            next += shard.Length;
        }

        layout.Buckets.Select(b => b.Offset).Should().BeInAscendingOrder();
    }

    [Fact]
    public void More_shards_than_parameters_is_refused_with_both_numbers()
    {
        var act = () => ShardLayout.Create(3, 4, 10);
        act.Should().Throw<ArgumentException>().WithMessage("*3 parameters*4 shards*");
    }
}
