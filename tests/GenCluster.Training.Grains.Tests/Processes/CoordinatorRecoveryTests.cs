using System.Diagnostics;
using GenCluster.Contracts.Training;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>kill -9 of the coordinator's silo, with checkpoints: a live silo re-activates it and the run completes.</summary>
public sealed class CoordinatorRecoveryTests(RecoveryCluster cluster, ITestOutputHelper output) : IClassFixture<RecoveryCluster>
{
    [Fact]
    public async Task Killing_the_coordinators_silo_reactivates_it_elsewhere_and_the_run_ends_equal_to_an_uninterrupted_run()
    {
        await cluster.RunReportingSilosAsync(async () =>
        {
            var plan = FaultScenario.Plan(cluster.SiloNames, steps: 120, interval: 20);
            var id = $"coordinator-kill-{Guid.NewGuid():N}";
            var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
            var status = await coordinator.Submit(plan);
            await FaultScenario.WatchUntilAsync(coordinator, e => e.Step?.Step >= 30, TimeSpan.FromMinutes(2));

            var victim = cluster.Silos.Single(s => s.Name == status.CoordinatorSilo);
            output.WriteLine($"killing the coordinator's silo {victim.Name} (pid {victim.Pid})");
            var before = (await FaultScenario.ManifestStepsAsync(cluster.Checkpoints, id))[0];
            var clock = Stopwatch.StartNew();
            victim.Kill();

            // No call to the coordinator until training went on: the silos' scan of running experiments must revive it.
            var after = before;
            while (after <= before + plan.CheckpointInterval && clock.Elapsed < FaultScenario.EndBound)
            {
                await Task.Delay(250);
                after = (await FaultScenario.ManifestStepsAsync(cluster.Checkpoints, id)).FirstOrDefault();
            }

            output.WriteLine($"newest checkpoint {before} before the kill, {after} {clock.Elapsed.TotalSeconds:F1} s after it");
            after.Should().BeGreaterThan(before + plan.CheckpointInterval, "a re-activated coordinator kept training without any client asking");

            var final = await FaultScenario.PollUntilEndedAsync(coordinator, output);
            output.WriteLine($"ended {clock.Elapsed.TotalSeconds:F1} s after the kill: {final.State} {final.Reason}");
            final.State.Should().Be(ExperimentState.Completed, final.Reason);
            final.CoordinatorSilo.Should().NotBe(victim.Name);
            final.CompletedSteps.Should().Be(plan.Steps);

            var messages = (await FaultScenario.EventsAsync(coordinator, output)).Select(e => e.Message).OfType<string>().ToList();
            messages.Should().Contain(m => m.StartsWith("the coordinator re-activated on silo", StringComparison.Ordinal));
            messages.Should().Contain(m => m.StartsWith("resumed from the checkpoint at step ", StringComparison.Ordinal));

            await FaultScenario.AssertEqualsUninterruptedRunAsync(coordinator, plan, output);
        }, output);
    }
}
