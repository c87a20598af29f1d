using System.Diagnostics;
using GenCluster.Contracts.Training;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>kill -9 of a worker's silo mid-step, with checkpoints: the run resumes on the live silos and completes.</summary>
public sealed class WorkerRecoveryTests(RecoveryCluster cluster, ITestOutputHelper output) : IClassFixture<RecoveryCluster>
{
    [Fact]
    public async Task Killing_a_workers_silo_mid_step_resumes_from_the_last_checkpoint_and_ends_equal_to_an_uninterrupted_run()
    {
        await cluster.RunReportingSilosAsync(async () =>
        {
            var plan = FaultScenario.Plan(cluster.SiloNames, steps: 120, interval: 20);
            var id = $"worker-kill-{Guid.NewGuid():N}";
            var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
            var status = await coordinator.Submit(plan);
            await FaultScenario.WatchUntilAsync(coordinator, e => e.Step?.Step >= 30, TimeSpan.FromMinutes(2));

            var victim = cluster.Silos.First(s => s.Name != status.CoordinatorSilo);
            var rank = Array.FindIndex(plan.Devices, d => d.StartsWith(victim.Name + "/", StringComparison.Ordinal));
            output.WriteLine($"coordinator on {status.CoordinatorSilo}; killing {victim.Name} (pid {victim.Pid}), which runs rank {rank}");
            var clock = Stopwatch.StartNew();
            victim.Kill();

            var final = await FaultScenario.PollUntilEndedAsync(coordinator, output);
            output.WriteLine($"ended {clock.Elapsed.TotalSeconds:F1} s after the kill: {final.State} {final.Reason}");
            final.State.Should().Be(ExperimentState.Completed, final.Reason);
            final.CompletedSteps.Should().Be(plan.Steps);
            final.Workers.Should().HaveCount(3).And.NotContain(w => w.StartsWith(victim.Name + "/", StringComparison.Ordinal), "the lost rank moved to a live silo");

            var events = await FaultScenario.EventsAsync(coordinator, output);
            var messages = events.Select(e => e.Message).OfType<string>().ToList();
            messages.Should().Contain(m => m.StartsWith("recovering (1 of", StringComparison.Ordinal) && m.Contains($"rank {rank}"));
            var resumed = messages.Single(m => m.StartsWith("resumed from the checkpoint at step ", StringComparison.Ordinal));
            resumed.Should().MatchRegex(@"^resumed from the checkpoint at step (20|40|60|80|100) ");
            events.Where(e => e.Step is not null).Select(e => e.Step!.Step).Should().Contain(plan.Steps - 1);

            await FaultScenario.AssertEqualsUninterruptedRunAsync(coordinator, plan, output);
        }, output);
    }
}
