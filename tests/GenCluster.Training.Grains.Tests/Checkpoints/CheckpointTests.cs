using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Storage;
using GenCluster.Training.Grains.Checkpoints;
using GenCluster.Training.Grains.Sharding;
using GenCluster.Training.Grains.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Checkpoints;

/// <summary>Checkpoints written by shards and committed by the coordinator's manifest, on two in-process silos.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class CheckpointTests(InProcessCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private static readonly string[] Silos = ["silo-1", "silo-2"];
    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));

    [Fact]
    public async Task Checkpoints_commit_every_interval_keep_the_newest_and_restore_shards_to_the_exact_state_of_their_step()
    {
        var id = $"ckpt-{Guid.NewGuid():N}";
        var plan = TestPlans.Small(ModelFamily.MlpGan, 2, 2, Silos, steps: 12) with { CheckpointInterval = 4, CheckpointsToKeep = 2 };

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        events[^1].State.Should().Be(ExperimentState.Completed, events[^1].Message);
        var messages = events.Select(e => e.Message).OfType<string>().ToList();
        messages.Should().Contain(m => m.StartsWith("checkpoint at step 0: committed 4 objects", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("checkpoint at step 8: committed 4 objects", StringComparison.Ordinal) && m.Contains("deleted 5 objects"),
            "the third checkpoint pushes the one of step 0 (4 shard objects + manifest) out of a retention of 2");

        var store = new CheckpointStore(cluster.Checkpoints);
        (await store.ManifestStepsAsync(id, CancellationToken.None)).Should().Equal(8L, 4L);
        var names = await Names(CheckpointNames.ExperimentPrefix(id));
        names.Should().NotContain(n => n.StartsWith(CheckpointNames.StepPrefix(id, 0), StringComparison.Ordinal), "retention deleted step 0 entirely");
        names.Should().HaveCount(10, "two checkpoints of 4 shard objects and a manifest each");

        // Checkpointing does not change training: the run equals the uninterrupted single-worker reference.
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
        var reference = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.MicroBatches);
        var g = await coordinator.GetParameters(ModelRole.Generator);
        output.WriteLine($"final G vs reference: {VectorDistance.Relative(g, reference.Generator):E2}");
        VectorDistance.Relative(g, reference.Generator).Should().BeLessThan(1e-6);

        // The manifest of step 4 verifies and holds exactly the parameters after 4 steps, with Adam at t = 4.
        var manifest = await store.FindNewestValidAsync(id, plan.WorldSize, plan.Seed, (s, why) => throw new InvalidOperationException($"step {s}: {why}"), CancellationToken.None);
        manifest!.Step.Should().Be(8);
        var four = await store.ReadManifestAsync(id, 4, CancellationToken.None);
        four.SamplerPosition.Should().Be(4);
        var atFour = ReferenceTraining.Train(plan with { Steps = 4 }, Data.Value, ReferenceMode.MicroBatches);
        var stored = new List<float>();
        foreach (var entry in four.Objects.Where(o => o.Model == "G").OrderBy(o => o.Shard))
        {
            var content = await store.ReadShardAsync(CheckpointStore.ToObject(entry), CancellationToken.None);
            content.Header.Step.Should().Be(4);
            content.Header.AdamSteps.Should().Be(4);
            content.ExpAvgSq.Should().Contain(v => v > 0, "Adam's second moments are saved, not zeros");
            stored.AddRange(content.Parameters);
        }

        VectorDistance.Relative([.. stored], atFour.Generator).Should().BeLessThan(1e-6);

        // Restoring every shard from step 4 rewinds the experiment's parameters to that state.
        foreach (var role in new[] { ModelRole.Generator, ModelRole.Discriminator })
        {
            var entries = four.Objects.Where(o => o.Model == CheckpointNames.ModelLetter(role)).OrderBy(o => o.Shard).ToList();
            var layout = ShardLayout.Create(entries.Sum(o => (long)o.Length), plan.ShardsOf(role), plan.BucketElements);
            foreach (var slice in layout.Shards)
            {
                var assignment = new ShardAssignment(id, role, slice.Shard, slice.Offset, slice.Length, [.. slice.Buckets.Select(b => b.Length)],
                    plan.WorldSize, plan.OptimizerOf(role), FirstStep: 4);
                var health = await cluster.Client.GetGrain<IParameterShardGrain>(TrainingKeys.Shard(id, role, slice.Shard))
                    .Restore(assignment, CheckpointStore.ToObject(entries[slice.Shard]));
                health.Ready.Should().BeTrue();
            }
        }

        VectorDistance.Relative(await coordinator.GetParameters(ModelRole.Generator), atFour.Generator).Should().BeLessThan(1e-6);
        VectorDistance.Relative(await coordinator.GetParameters(ModelRole.Discriminator), atFour.Discriminator).Should().BeLessThan(1e-6);
        (await Names(CheckpointNames.RunningPrefix)).Should().NotContain(CheckpointNames.RunningMarker(id), "the marker goes when the experiment ends");
    }

    [Fact]
    public async Task Resume_takes_the_newest_checkpoint_whose_objects_all_verify()
    {
        var id = $"ckpt-verify-{Guid.NewGuid():N}";
        var plan = TestPlans.Small(ModelFamily.MlpGan, 1, 2, Silos, steps: 9) with { CheckpointInterval = 3, CheckpointsToKeep = 5 };
        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);
        events[^1].State.Should().Be(ExperimentState.Completed, events[^1].Message);
        var store = new CheckpointStore(cluster.Checkpoints);
        (await store.ManifestStepsAsync(id, CancellationToken.None)).Should().Equal(6L, 3L, 0L);

        // Step 6: one shard object rewritten with other bytes (the store's own hash is then consistent, the manifest's is not).
        var six = await store.ReadManifestAsync(id, 6, CancellationToken.None);
        var victim = six.Objects[1];
        var bytes = await ReadAll(victim.Name);
        bytes[^1] ^= 0x01;
        using (var altered = new MemoryStream(bytes))
        {
            await cluster.Checkpoints.PutAsync(victim.Name, altered, WriteCondition.None, CancellationToken.None);
        }

        // Step 3: one shard object gone.
        var three = await store.ReadManifestAsync(id, 3, CancellationToken.None);
        (await cluster.Checkpoints.DeleteAsync(three.Objects[0].Name, null, CancellationToken.None)).Should().BeTrue();

        var rejected = new List<(long Step, string Why)>();
        var chosen = await store.FindNewestValidAsync(id, plan.WorldSize, plan.Seed, (s, why) => rejected.Add((s, why)), CancellationToken.None);

        chosen!.Step.Should().Be(0);
        rejected.Select(r => r.Step).Should().Equal(6L, 3L);
        rejected[0].Why.Should().Contain(victim.Name).And.Contain("SHA-256");
        rejected[1].Why.Should().Contain(three.Objects[0].Name).And.Contain("does not exist");

        var otherWorld = await store.FindNewestValidAsync(id, plan.WorldSize + 1, plan.Seed, (_, _) => { }, CancellationToken.None);
        otherWorld.Should().BeNull("a checkpoint of another world size is not this run's");
    }

    private async Task<List<string>> Names(string prefix)
    {
        var names = new List<string>();
        await foreach (var entry in cluster.Checkpoints.ListAsync(prefix, CancellationToken.None))
        {
            names.Add(entry.Name);
        }

        return names;
    }

    private async Task<byte[]> ReadAll(string name)
    {
        await using var reader = await cluster.Checkpoints.OpenReadAsync(name, CancellationToken.None);
        using var buffer = new MemoryStream();
        await reader!.Content.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
