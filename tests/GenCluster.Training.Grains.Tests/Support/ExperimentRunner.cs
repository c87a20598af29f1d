using GenCluster.Contracts.Training;
using GenCluster.Runtime;

namespace GenCluster.Training.Grains.Tests.Support;

/// <summary>Submits a plan through a cluster client and follows its progress stream to the end.</summary>
internal static class ExperimentRunner
{
    /// <summary>Submits, watches until the terminal event (bounded), and returns every event seen.</summary>
    public static async Task<IReadOnlyList<ExperimentEvent>> RunAsync(IGrainFactory client, string experimentId, TrainingPlan plan, TimeSpan bound)
    {
        var coordinator = client.GetGrain<IExperimentCoordinatorGrain>(experimentId);
        var submitted = await coordinator.Submit(plan);
        submitted.State.Should().Be(ExperimentState.Submitted);
        return await WatchAsync(coordinator, bound);
    }

    /// <summary>Every event from the first until the stream ends, failing after <paramref name="bound"/>.</summary>
    public static async Task<IReadOnlyList<ExperimentEvent>> WatchAsync(IExperimentCoordinatorGrain coordinator, TimeSpan bound, long afterSequence = 0)
    {
        using var timeout = new CancellationTokenSource(bound);
        var events = new List<ExperimentEvent>();
        try
        {
            await foreach (var entry in coordinator.Watch(afterSequence, CancellationToken.None).WithCancellation(timeout.Token))
            {
                events.Add(entry);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var status = await coordinator.GetStatus();
            throw new TimeoutException($"the experiment did not end within {bound.TotalSeconds:0} s: {status}");
        }

        return events;
    }
}
