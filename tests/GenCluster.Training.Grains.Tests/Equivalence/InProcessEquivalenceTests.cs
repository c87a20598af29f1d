using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Training.Grains.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Equivalence;

/// <summary>
/// W workers × batch b on two in-process silos end with the parameters one worker reaches with W·b images per step
/// (DESIGN.md §6), for each model family, W ∈ {2, 4} and S ∈ {1, 3} shards per model.
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class InProcessEquivalenceTests(InProcessCluster cluster, ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));

    public static TheoryData<ModelFamily, int, int> Cases => new()
    {
        { ModelFamily.Dcgan, 2, 1 },
        { ModelFamily.Dcgan, 2, 3 },
        { ModelFamily.Dcgan, 4, 1 },
        { ModelFamily.Dcgan, 4, 3 },
        { ModelFamily.MlpGan, 2, 1 },
        { ModelFamily.MlpGan, 2, 3 },
        { ModelFamily.MlpGan, 4, 1 },
        { ModelFamily.MlpGan, 4, 3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task W_workers_match_one_worker_with_W_times_the_batch_after_20_steps(ModelFamily family, int worldSize, int shards)
    {
        var plan = TestPlans.Small(family, worldSize, shards, ["silo-1", "silo-2"]);
        var id = $"eq-{family}-{worldSize}-{shards}-{Guid.NewGuid():N}";
        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, TimeSpan.FromMinutes(3));
        events[^1].State.Should().Be(ExperimentState.Completed, events[^1].Message);

        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
        var distributed = (G: await coordinator.GetParameters(ModelRole.Generator), D: await coordinator.GetParameters(ModelRole.Discriminator));
        var initial = ReferenceTraining.Initial(plan);
        var accumulated = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.MicroBatches);
        Report("vs micro-batches", distributed, accumulated);

        // Training moved the weights far more than any difference below: the comparison is not vacuous.
        VectorDistance.Relative(accumulated.Generator, initial.Generator).Should().BeGreaterThan(1e-3);
        VectorDistance.Relative(accumulated.Discriminator, initial.Discriminator).Should().BeGreaterThan(1e-3);

        VectorDistance.Relative(distributed.G, accumulated.Generator).Should().BeLessThan(Tolerance);
        VectorDistance.Relative(distributed.D, accumulated.Discriminator).Should().BeLessThan(Tolerance);

        // Stronger than the tolerance: shards sum in rank order exactly as the reference accumulates, so bit for bit.
        Bits(distributed.G).Should().Equal(Bits(accumulated.Generator));
        Bits(distributed.D).Should().Equal(Bits(accumulated.Discriminator));
        if (family == ModelFamily.MlpGan)
        {
            // Without BatchNorm, the W micro-batches are one batch of W·b.
            var single = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.SingleBatch);
            Report("vs one batch of W·b", distributed, single);
            VectorDistance.Relative(distributed.G, single.Generator).Should().BeLessThan(Tolerance);
            VectorDistance.Relative(distributed.D, single.Discriminator).Should().BeLessThan(Tolerance);
        }

        var steps = events.Where(e => e.Step is not null).Select(e => e.Step!).ToList();
        steps.Select(s => s.Step).Should().Equal(Enumerable.Range(0, plan.Steps).Select(i => (long)i));
        output.WriteLine($"median step {Median(steps.Select(s => s.StepSeconds)) * 1000:F1} ms, compute {Median(steps.Select(s => s.ComputeSeconds)) * 1000:F1} ms, "
            + $"waiting for shards {Median(steps.Select(s => s.CommunicationSeconds)) * 1000:F1} ms, {steps[^1].BytesPerWorker} payload bytes per worker per step");
    }

    private void Report(string what, (float[] G, float[] D) actual, (float[] Generator, float[] Discriminator) expected) =>
        output.WriteLine($"{what}: G relative {VectorDistance.Relative(actual.G, expected.Generator):E2} (max abs {VectorDistance.MaxAbsolute(actual.G, expected.Generator):E2}), "
            + $"D relative {VectorDistance.Relative(actual.D, expected.Discriminator):E2} (max abs {VectorDistance.MaxAbsolute(actual.D, expected.Discriminator):E2})");

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
