using GenCluster.Contracts.Training;

namespace GenCluster.Training.Grains.Tests.Support;

/// <summary>Small plans that train in milliseconds per step on Fashion-MNIST's test split.</summary>
internal static class TestPlans
{
    /// <summary>A plan for <paramref name="family"/> with W workers placed round-robin over silos and their cpu:0, cpu:1.</summary>
    public static TrainingPlan Small(ModelFamily family, int worldSize, int shards, IReadOnlyList<string> silos, int steps = 20, ulong seed = 7) => new()
    {
        Model = family == ModelFamily.Dcgan
            ? new ModelSpec { Family = family, LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 }
            : new ModelSpec { Family = family, LatentSize = 16, GeneratorWidth = 32, DiscriminatorWidth = 32 },
        DatasetSplit = "test",
        BatchPerWorker = 4,
        Steps = steps,
        WorldSize = worldSize,
        GeneratorShards = shards,
        DiscriminatorShards = shards,
        Seed = seed,
        ThreadsPerWorker = 1,
        Devices = RoundRobin(worldSize, silos),
        // Small buckets, so every shard's slice travels in several of them.
        BucketElements = 1500,
        StepTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Rank r on silo r mod n, device cpu:(r / n).</summary>
    public static string[] RoundRobin(int worldSize, IReadOnlyList<string> silos) =>
        [.. Enumerable.Range(0, worldSize).Select(r => $"{silos[r % silos.Count]}/cpu:{r / silos.Count}")];
}
