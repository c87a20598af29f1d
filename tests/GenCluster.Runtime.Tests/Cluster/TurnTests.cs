using System.Diagnostics;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class TurnTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_non_reentrant_grain_never_runs_two_requests_at_once_under_concurrent_load()
    {
        string key = $"serial-{Guid.NewGuid():N}";
        var callers = Cluster.Silos.Select(s => s.GrainFactory).Append(fixture.Client).ToList();
        var calls = Enumerable.Range(0, 40).Select(i => callers[i % callers.Count].GetGrain<ITurnGrain>(key).Work(10)).ToList();

        var runningAtStart = await Task.WhenAll(calls);

        runningAtStart.Should().OnlyContain(n => n == 1, "each request ran alone");
        (await fixture.Client.GetGrain<ITurnGrain>(key).MaxConcurrentTurns()).Should().Be(1);
    }

    [Fact]
    public async Task An_always_interleave_method_runs_while_a_request_is_in_progress()
    {
        var grain = fixture.Client.GetGrain<ITurnGrain>($"interleave-{Guid.NewGuid():N}");
        await grain.MaxConcurrentTurns(); // activate first, so both calls below find it ready
        var slow = grain.Work(1500);
        await Task.Delay(200);

        var stopwatch = Stopwatch.StartNew();
        int runningWithIt = await grain.InterleavedWork(10);
        stopwatch.Stop();

        slow.IsCompleted.Should().BeFalse("the interleaved call finished while the slow one still ran");
        runningWithIt.Should().Be(2);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(1200));
        (await slow).Should().Be(1);
    }

    [Fact]
    public async Task A_normal_request_waits_for_the_running_one_to_finish()
    {
        var grain = fixture.Client.GetGrain<ITurnGrain>($"queue-{Guid.NewGuid():N}");
        await grain.MaxConcurrentTurns();
        var stopwatch = Stopwatch.StartNew();
        var first = grain.Work(400);
        var second = grain.Work(10);

        await second;

        first.IsCompleted.Should().BeTrue("the second request started only after the first finished");
        // Task.Delay runs on a coarse clock (TickCount64: 4 ms ticks on Linux), so 400 ms may end a few ms early.
        stopwatch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390), "the second request waited for the first's 400 ms");
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_requests()
    {
        var grain = fixture.Client.GetGrain<IReentrantTurnGrain>($"reentrant-{Guid.NewGuid():N}");
        await grain.MaxConcurrentTurns();

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => grain.Work(300)));
        stopwatch.Stop();

        (await grain.MaxConcurrentTurns()).Should().BeGreaterThan(1);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(8 * 300), "the requests overlapped");
    }

    [Fact]
    public async Task Timer_ticks_run_as_turns_and_never_alongside_a_request()
    {
        var grain = fixture.Client.GetGrain<ILifecycleGrain>($"timer-{Guid.NewGuid():N}");
        await grain.StartTimer(periodMilliseconds: 10);
        for (int i = 0; i < 5; i++)
        {
            await grain.Busy(60);
        }

        var (ticks, maxConcurrent) = await grain.GetTicks();
        ticks.Should().BeGreaterThan(2);
        maxConcurrent.Should().Be(1);
    }
}
