using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>kill -9 of a worker's silo process in the middle of training.</summary>
public sealed class WorkerLossTests(ProcessCluster cluster, ITestOutputHelper output) : IClassFixture<ProcessCluster>
{
    private static readonly TimeSpan FailureBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Killing_a_workers_silo_mid_step_fails_the_step_with_the_rank_and_silo_within_the_bound()
    {
        // One rank per silo; the victim is a silo that runs a worker but not the coordinator.
        var plan = TestPlans.Small(ModelFamily.Dcgan, 3, 2, cluster.SiloNames, steps: 1_000_000) with { StepTimeout = TimeSpan.FromSeconds(10) };
        var id = $"kill-{Guid.NewGuid():N}";
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);
        var status = await coordinator.Submit(plan);
        using (var warmUp = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await foreach (var entry in coordinator.Watch(0, CancellationToken.None).WithCancellation(warmUp.Token))
            {
                entry.State.Should().NotBe(ExperimentState.Failed, "nothing was killed yet: {0}", entry.Message);
                if (entry.Step?.Step >= 5)
                {
                    break;
                }
            }
        }

        var victim = cluster.Silos.First(s => s.Name != status.CoordinatorSilo);
        var rank = Array.FindIndex(plan.Devices, d => d.StartsWith(victim.Name + "/", StringComparison.Ordinal));
        output.WriteLine($"coordinator on {status.CoordinatorSilo}; killing {victim.Name} (pid {victim.Pid}), which runs rank {rank}");
        var clock = Stopwatch.StartNew();
        victim.Kill();

        // Poll rather than stream: the client's gateway may be the victim, and a call through it then fails over.
        ExperimentStatus? final = null;
        for (var attempt = 0; attempt < 1000 && clock.Elapsed < FailureBound + TimeSpan.FromSeconds(30); attempt++)
        {
            try
            {
                final = await coordinator.GetStatus();
                if (final.State.IsTerminal())
                {
                    break;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.WriteLine($"status at {clock.Elapsed.TotalSeconds:F1} s: {e.GetType().Name}: {e.Message}");
            }

            await Task.Delay(100);
        }

        clock.Stop();
        output.WriteLine($"after {clock.Elapsed.TotalSeconds:F1} s: {final?.State}: {final?.Reason}");
        final.Should().NotBeNull();
        final!.State.Should().Be(ExperimentState.Failed);
        clock.Elapsed.Should().BeLessThan(FailureBound);
        final.Reason.Should().MatchRegex(@"^step \d+ failed: ");
        final.Reason.Should().Contain($"rank {rank}").And.Contain(victim.Name);
        var events = await ExperimentRunner.WatchAsync(coordinator, TimeSpan.FromSeconds(30));
        events[^1].State.Should().Be(ExperimentState.Failed);
        events[^1].Message.Should().Be(final.Reason, "the progress stream ends with the same reason");
        final.CompletedSteps.Should().BeGreaterThanOrEqualTo(5);
    }
}
