using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Sharding;
using GenCluster.Training.Grains.Workers;

namespace GenCluster.Training.Grains.Tests.Workers;

/// <summary>
/// A bucket's payload array is reused from step to step only after it was given back (its push answered), per model
/// and bucket, and never at another length.
/// </summary>
public sealed class GradientPayloadsTests
{
    private static readonly BucketSlice First = new(Shard: 0, Bucket: 0, Offset: 0, Length: 1000);
    private static readonly BucketSlice Second = new(Shard: 1, Bucket: 0, Offset: 1000, Length: 1000);

    [Fact]
    public void An_array_given_back_is_reused_for_its_bucket_only()
    {
        var payloads = new GradientPayloads();
        var array = payloads.Rent(ModelRole.Generator, First);
        array.Should().HaveCount(First.Length);

        payloads.Return(ModelRole.Generator, First, array);

        payloads.Rent(ModelRole.Generator, Second).Should().NotBeSameAs(array, "another shard's bucket");
        payloads.Rent(ModelRole.Discriminator, First).Should().NotBeSameAs(array, "the other model's bucket");
        payloads.Rent(ModelRole.Generator, First).Should().BeSameAs(array, "the same bucket, next step");
        payloads.Rent(ModelRole.Generator, First).Should().NotBeSameAs(array, "it is out again until given back");
    }

    [Fact]
    public void An_array_of_another_length_is_not_handed_out()
    {
        var payloads = new GradientPayloads();
        var array = payloads.Rent(ModelRole.Generator, First);
        payloads.Return(ModelRole.Generator, First, array);

        var longer = First with { Length = 2000 };
        payloads.Rent(ModelRole.Generator, longer).Should().HaveCount(2000);
    }
}
