using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Training.Grains.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>Data-parallel equivalence with workers and shards spread over three separate silo processes.</summary>
public sealed class ProcessEquivalenceTests(ProcessCluster cluster, ITestOutputHelper output) : IClassFixture<ProcessCluster>
{
    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));

    [Theory]
    [InlineData(ModelFamily.Dcgan, 2, 3)]
    [InlineData(ModelFamily.Dcgan, 4, 1)]
    [InlineData(ModelFamily.MlpGan, 4, 3)]
    public async Task W_workers_in_separate_processes_match_one_worker_with_W_times_the_batch(ModelFamily family, int worldSize, int shards)
    {
        var plan = TestPlans.Small(family, worldSize, shards, cluster.SiloNames);
        var id = $"proc-{family}-{worldSize}-{shards}-{Guid.NewGuid():N}";

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, TimeSpan.FromMinutes(4));

        events[^1].State.Should().Be(ExperimentState.Completed, events[^1].Message);
        events.Count(e => e.Step is not null).Should().Be(plan.Steps, "every step's progress reaches the client");
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
        var g = await coordinator.GetParameters(ModelRole.Generator);
        var d = await coordinator.GetParameters(ModelRole.Discriminator);
        var accumulated = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.MicroBatches);
        output.WriteLine($"vs micro-batches: G {VectorDistance.Relative(g, accumulated.Generator):E2}, D {VectorDistance.Relative(d, accumulated.Discriminator):E2}");
        VectorDistance.Relative(g, accumulated.Generator).Should().BeLessThan(1e-5);
        VectorDistance.Relative(d, accumulated.Discriminator).Should().BeLessThan(1e-5);
        if (family == ModelFamily.MlpGan)
        {
            var single = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.SingleBatch);
            output.WriteLine($"vs one batch of W·b: G {VectorDistance.Relative(g, single.Generator):E2}, D {VectorDistance.Relative(d, single.Discriminator):E2}");
            VectorDistance.Relative(g, single.Generator).Should().BeLessThan(1e-5);
            VectorDistance.Relative(d, single.Discriminator).Should().BeLessThan(1e-5);
        }

        var steps = events.Where(e => e.Step is not null).Select(e => e.Step!).ToList();
        output.WriteLine($"running: {events.First(e => e.State == ExperimentState.Running).Message}");
        output.WriteLine($"median step {steps.Select(s => s.StepSeconds).Order().ElementAt(steps.Count / 2) * 1000:F1} ms; {steps[^1].BytesPerWorker} payload bytes per worker per step");
    }
}
