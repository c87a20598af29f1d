namespace GenCluster.Membership.Tests.Support;

/// <summary>The test clock itself: timers fire in order at their due times, periodically, and not after disposal.</summary>
public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = new List<(string Name, TimeSpan At)>();
        using var periodic = clock.CreateTimer(_ => fired.Add(("every 2s", clock.Elapsed)), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var once = clock.CreateTimer(_ => fired.Add(("once at 3s", clock.Elapsed)), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(7));

        fired.Should().Equal(
            ("every 2s", TimeSpan.FromSeconds(2)),
            ("once at 3s", TimeSpan.FromSeconds(3)),
            ("every 2s", TimeSpan.FromSeconds(4)),
            ("every 2s", TimeSpan.FromSeconds(6)));
        clock.Elapsed.Should().Be(TimeSpan.FromSeconds(7));
        clock.GetUtcNow().Should().Be(Start.AddSeconds(7));
        clock.NextDue.Should().Be(Start.AddSeconds(8));
    }

    [Fact]
    public void A_disposed_or_disarmed_timer_does_not_fire()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var disarmed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        disposed.Dispose();
        disarmed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(5));

        fired.Should().Be(0);
        clock.ArmedTimers.Should().Be(0);
    }

    [Fact]
    public async Task Delays_and_timeouts_built_on_it_complete_only_when_it_moves()
    {
        var clock = new ManualTimeProvider(Start);
        var delay = Task.Delay(TimeSpan.FromSeconds(2), clock);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3), clock);

        clock.Advance(TimeSpan.FromSeconds(1));
        delay.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        timeout.IsCancellationRequested.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        timeout.IsCancellationRequested.Should().BeTrue();
        clock.GetElapsedTime(0).Should().Be(TimeSpan.FromSeconds(3));
    }
}
