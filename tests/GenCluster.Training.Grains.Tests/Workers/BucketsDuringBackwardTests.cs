using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Training.Grains.Sharding;
using GenCluster.Training.Grains.Tests.Support;
using GenCluster.Training.Grains.Workers;

namespace GenCluster.Training.Grains.Tests.Workers;

/// <summary>
/// A worker's buckets as the grain sends them: released by autograd's hooks while backward runs, and copied then. Each
/// copy taken at the moment of release (the earliest the grain can take it) must equal the gradient once backward ends.
/// </summary>
public sealed class BucketsDuringBackwardTests
{
    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));

    [Theory]
    [InlineData(ModelFamily.Dcgan)]
    [InlineData(ModelFamily.MlpGan)]
    public void Buckets_released_during_backward_hold_the_final_gradient_and_every_bucket_leaves_once(ModelFamily family)
    {
        var plan = TestPlans.Small(family, worldSize: 2, shards: 3, ["silo-1"]);
        using var replica = new WorkerReplica(plan, rank: 1, Data.Value);
        for (var step = 0L; step < 2; step++)
        {
            var d = Pass(replica, plan, ModelRole.Discriminator, ready => replica.DiscriminatorBackward(step, ready));
            var g = Pass(replica, plan, ModelRole.Generator, ready => replica.GeneratorBackward(ready));
            d.Should().BeGreaterThan(0, "D's last layers' buckets leave before its backward ends");
            g.Should().BeGreaterThan(0, "G's last layers' buckets leave before its backward ends");
        }
    }

    /// <summary>Runs one phase and checks its buckets; returns how many were released while backward was running.</summary>
    private static int Pass(WorkerReplica replica, TrainingPlan plan, ModelRole role, Action<Action<int>> backward)
    {
        var layout = ShardLayout.Create(replica.ParameterCount(role), plan.ShardsOf(role), plan.BucketElements);
        var readiness = new BucketReadiness(replica.ParameterLayout(role), layout.Buckets);
        var copies = new Dictionary<BucketSlice, float[]>();
        var running = false;
        var duringBackward = 0;

        void TakeReleased()
        {
            while (readiness.Ready.TryRead(out var bucket))
            {
                copies.Add(bucket, replica.CopyGradients(role, bucket.Offset, bucket.Length));
                duringBackward += running ? 1 : 0;
            }
        }

        running = true;
        backward(i =>
        {
            readiness.ParameterReady(i);
            TakeReleased();
        });
        running = false;
        readiness.Complete();
        TakeReleased();

        copies.Keys.Should().BeEquivalentTo(layout.Buckets, "every bucket leaves exactly once");
        readiness.Ready.Completion.IsCompletedSuccessfully.Should().BeTrue();
        var nonZero = 0;
        foreach (var (bucket, copy) in copies)
        {
            var final = replica.CopyGradients(role, bucket.Offset, bucket.Length);
            copy.Should().Equal(final, $"{role} bucket {bucket.Shard}/{bucket.Bucket} was sent with its final gradient");
            nonZero += final.Count(v => v != 0);
        }

        nonZero.Should().BeGreaterThan(0, "the comparison must be between real gradients");
        return duringBackward;
    }
}
