using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Storage;
using GenCluster.Training.Grains.Checkpoints;
using GenCluster.Training.Grains.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>What the fault tests share: the plan, waiting for progress, polling to the end, and the final comparison.</summary>
internal static class FaultScenario
{
    /// <summary>How long a run may take from the kill to its end.</summary>
    public static readonly TimeSpan EndBound = TimeSpan.FromMinutes(4);

    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));

    /// <summary>Three ranks, one per silo (cpu:0), MLP GAN; checkpoints every <paramref name="interval"/> steps.</summary>
    public static TrainingPlan Plan(IReadOnlyList<string> silos, int steps, int interval) =>
        TestPlans.Small(ModelFamily.MlpGan, 3, 2, silos, steps: steps) with
        {
            CheckpointInterval = interval,
            CheckpointsToKeep = 3,
            StepTimeout = TimeSpan.FromSeconds(20),
        };

    /// <summary>Follows the progress stream until <paramref name="until"/> holds for an event (bounded); returns the events seen.</summary>
    public static async Task<List<ExperimentEvent>> WatchUntilAsync(IExperimentCoordinatorGrain coordinator, Func<ExperimentEvent, bool> until, TimeSpan bound)
    {
        var seen = new List<ExperimentEvent>();
        using var timeout = new CancellationTokenSource(bound);
        await foreach (var entry in coordinator.Watch(0, CancellationToken.None).WithCancellation(timeout.Token))
        {
            seen.Add(entry);
            entry.State.IsTerminal().Should().BeFalse($"the run must still be going when the fault is injected: {entry.Message}");
            if (until(entry))
            {
                return seen;
            }
        }

        throw new InvalidOperationException("the progress stream ended early");
    }

    /// <summary>Polls the status (the client fails over when its gateway was the victim) until the run ends, bounded.</summary>
    public static async Task<ExperimentStatus> PollUntilEndedAsync(IExperimentCoordinatorGrain coordinator, ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        ExperimentStatus? last = null;
        while (clock.Elapsed < EndBound)
        {
            try
            {
                last = await coordinator.GetStatus();
                if (last.State.IsTerminal())
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.WriteLine($"status at {clock.Elapsed.TotalSeconds:F1} s: {e.GetType().Name}: {e.Message}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the run did not end within {EndBound.TotalMinutes} min after the fault; last status: {last}");
    }

    /// <summary>The steps of the experiment's committed manifests, newest first.</summary>
    public static Task<List<long>> ManifestStepsAsync(IObjectStore store, string experiment) =>
        new CheckpointStore(store).ManifestStepsAsync(experiment, CancellationToken.None);

    /// <summary>Every event the coordinator still holds, printed.</summary>
    public static async Task<IReadOnlyList<ExperimentEvent>> EventsAsync(IExperimentCoordinatorGrain coordinator, ITestOutputHelper output)
    {
        var events = await ExperimentRunner.WatchAsync(coordinator, TimeSpan.FromSeconds(30));
        foreach (var message in events.Select(e => e.Message).OfType<string>())
        {
            output.WriteLine(message);
        }

        return events;
    }

    /// <summary>The final parameters equal an uninterrupted run with the same seed (the single-worker reference, relative 1e-6).</summary>
    public static async Task AssertEqualsUninterruptedRunAsync(IExperimentCoordinatorGrain coordinator, TrainingPlan plan, ITestOutputHelper output)
    {
        var reference = ReferenceTraining.Train(plan, Data.Value, ReferenceMode.MicroBatches);
        var g = await coordinator.GetParameters(ModelRole.Generator);
        var d = await coordinator.GetParameters(ModelRole.Discriminator);
        output.WriteLine($"vs the uninterrupted reference: G {VectorDistance.Relative(g, reference.Generator):E2}, D {VectorDistance.Relative(d, reference.Discriminator):E2}");
        VectorDistance.Relative(g, reference.Generator).Should().BeLessThan(1e-6);
        VectorDistance.Relative(d, reference.Discriminator).Should().BeLessThan(1e-6);
    }
}
