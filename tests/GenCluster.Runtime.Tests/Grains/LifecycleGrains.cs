using System.Collections.Concurrent;

namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Records activations, deactivations (with their reasons) and timer ticks.</summary>
public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<string> GetSiloName();

    /// <summary>Starts a timer that ticks every <paramref name="periodMilliseconds"/>.</summary>
    Task StartTimer(int periodMilliseconds);

    /// <summary>Timer ticks so far, and the most turns (requests or ticks) that ever ran at once.</summary>
    Task<(int Ticks, int MaxConcurrent)> GetTicks();

    /// <summary>Holds the turn for a while (so ticks would overlap with it if they could).</summary>
    Task Busy(int milliseconds);
}

public sealed class LifecycleGrain : Grain, ILifecycleGrain
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> s_events = new();
    private int _ticks;
    private int _running;
    private int _maxRunning;

    /// <summary>What happened to grain <paramref name="key"/>: "activate@silo", "deactivate:Reason@silo".</summary>
    public static IReadOnlyList<string> EventsOf(string key) => [.. s_events.GetOrAdd(key, _ => new ConcurrentQueue<string>())];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Record($"activate@{GrainContext.SiloName}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Record($"deactivate:{reason}@{GrainContext.SiloName}");
        return Task.CompletedTask;
    }

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);

    public Task StartTimer(int periodMilliseconds)
    {
        RegisterTimer(
            async _ =>
            {
                Enter();
                await Task.Delay(5);
                _ticks++;
                Exit();
            },
            TimeSpan.Zero,
            TimeSpan.FromMilliseconds(periodMilliseconds));
        return Task.CompletedTask;
    }

    public Task<(int Ticks, int MaxConcurrent)> GetTicks() => Task.FromResult((_ticks, _maxRunning));

    public async Task Busy(int milliseconds)
    {
        Enter();
        await Task.Delay(milliseconds);
        Exit();
    }

    private void Enter() => _maxRunning = Math.Max(_maxRunning, Interlocked.Increment(ref _running));

    private void Exit() => Interlocked.Decrement(ref _running);

    private void Record(string what) => s_events.GetOrAdd(this.GetPrimaryKeyString(), _ => new ConcurrentQueue<string>()).Enqueue(what);
}

/// <summary>A grain whose activation always fails.</summary>
public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<int> Get();
}

public sealed class FailingActivationGrain : Grain, IFailingActivationGrain
{
    private static int s_attempts;

    public static int Attempts => Volatile.Read(ref s_attempts);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_attempts);
        throw new InvalidOperationException("this grain refuses to activate");
    }

    public Task<int> Get() => Task.FromResult(42);
}
