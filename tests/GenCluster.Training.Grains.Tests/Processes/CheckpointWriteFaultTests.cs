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
        await cluster.RunReportingSilosAsync(async () =>
        {
            var plan = FaultScenario.Plan(cluster.SiloNames, steps: 60, interval: 20);
            var id = $"write-kill-{Guid.NewGuid():N}";
            var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
            await coordinator.Submit(plan);

            // Watch the store, not the progress stream: under load the stream may lag by more than the manifest's delay.
            // The kill must land after every shard object of step 20 and before its manifest (ManifestWriteDelay, 6 s).
            var stepPrefix = CheckpointNames.StepPrefix(id, 20);
            var manifest = CheckpointNames.Manifest(id, 20);
            var clock = Stopwatch.StartNew();
            var written = 0;
            var committed = false;
            while (written < 4 && !committed && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(20);
                written = 0;
                await foreach (var entry in cluster.Checkpoints.ListAsync(stepPrefix, CancellationToken.None))
                {
                    written += entry.Name.EndsWith(".shard", StringComparison.Ordinal) ? 1 : 0;
                    committed |= entry.Name == manifest;
                }
            }

            // Where the coordinator is now (a silo falsely declared dead under load may have moved it since submission).
            var current = (await coordinator.GetStatus()).CoordinatorSilo;
            var victim = cluster.Silos.Single(s => s.Name == current);
            victim.Kill();
            output.WriteLine($"killed {victim.Name}, the coordinator's silo, {clock.Elapsed.TotalSeconds:F1} s after submission, when {written} shard objects of step 20 were written");
            committed.Should().BeFalse("the kill must come before the manifest of step 20");
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
        }, output);
    }
}
