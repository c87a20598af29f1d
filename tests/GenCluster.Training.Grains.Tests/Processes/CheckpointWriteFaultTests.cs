using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Checkpoints;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>kill -9 of the coordinator's silo between a checkpoint's shard objects and its manifest.</summary>
public sealed class CheckpointWriteFaultTests(SlowManifestCluster cluster, ITestOutputHelper output) : IClassFixture<SlowManifestCluster>
{
    [Fact]
    public async Task A_kill_during_a_checkpoint_write_leaves_the_previous_checkpoint_valid_and_the_run_resumes_from_it()
    {
        var plan = FaultScenario.Plan(cluster.SiloNames, steps: 60, interval: 20);
        var id = $"write-kill-{Guid.NewGuid():N}";
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
        var status = await coordinator.Submit(plan);
        await FaultScenario.WatchUntilAsync(coordinator,
            e => e.Message?.StartsWith("checkpoint at step 20: writing", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(2));

        // The shard objects land within milliseconds; the manifest waits 4 s (ManifestWriteDelay). Kill in between.
        var stepPrefix = CheckpointNames.StepPrefix(id, 20);
        var clock = Stopwatch.StartNew();
        var written = 0;
        while (written < 4 && clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(20);
            written = 0;
            await foreach (var entry in cluster.Checkpoints.ListAsync(stepPrefix, CancellationToken.None))
            {
                written += entry.Name.EndsWith(".shard", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        var victim = cluster.Silos.Single(s => s.Name == status.CoordinatorSilo);
        victim.Kill();
        output.WriteLine($"killed {victim.Name}, the coordinator's silo, {clock.Elapsed.TotalMilliseconds:F0} ms after the write of step 20 began; {written} shard objects were written");
        written.Should().Be(4, "every shard object of step 20 was written before the kill");
        (await FaultScenario.ManifestStepsAsync(cluster.Checkpoints, id)).Should().Equal([0L], "the manifest of step 20 was never written");

        var final = await FaultScenario.PollUntilEndedAsync(coordinator, output);
        final.State.Should().Be(ExperimentState.Completed, final.Reason);
        var messages = (await FaultScenario.EventsAsync(coordinator, output)).Select(e => e.Message).OfType<string>().ToList();
        messages.Should().Contain(m => m.StartsWith("resumed from the checkpoint at step 0 ", StringComparison.Ordinal),
            "the half-written checkpoint of step 20 has no manifest, so the previous one is used");
        (await FaultScenario.ManifestStepsAsync(cluster.Checkpoints, id)).Should().Equal(40L, 20L, 0L);
        var attempts = new HashSet<string>();
        await foreach (var entry in cluster.Checkpoints.ListAsync(stepPrefix, CancellationToken.None))
        {
            if (entry.Name.EndsWith(".shard", StringComparison.Ordinal))
            {
                attempts.Add(entry.Name[stepPrefix.Length..entry.Name.LastIndexOf('/')]);
            }
        }

        attempts.Should().HaveCount(2, "the killed attempt's objects stay beside the committed attempt's, never mistaken for them");
        await FaultScenario.AssertEqualsUninterruptedRunAsync(coordinator, plan, output);
    }
}
