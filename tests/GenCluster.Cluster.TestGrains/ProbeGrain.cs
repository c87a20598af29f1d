using GenCluster.Runtime;

namespace GenCluster.Cluster.TestGrains;

/// <summary>Reports where it runs and how many of its turns ever overlapped.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>The name of the silo hosting the activation.</summary>
    Task<string> GetSiloName();

    /// <summary>Holds the turn for <paramref name="delayMilliseconds"/> while counting concurrent turns.</summary>
    Task Work(int delayMilliseconds);

    /// <summary>The largest number of turns seen running at once.</summary>
    Task<int> GetMaxConcurrency();

    /// <summary>Echoes a payload (for round-trip benchmarks).</summary>
    Task<byte[]> Echo(byte[] payload);
}

/// <summary>A non-reentrant grain: the runtime must never run two of its turns at once.</summary>
public sealed class ProbeGrain : Grain, IProbeGrain
{
    private int _running;
    private int _maxConcurrency;

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);

    public async Task Work(int delayMilliseconds)
    {
        var now = Interlocked.Increment(ref _running);
        _maxConcurrency = Math.Max(_maxConcurrency, now);
        try
        {
            await Task.Delay(delayMilliseconds);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public Task<int> GetMaxConcurrency() => Task.FromResult(_maxConcurrency);

    public Task<byte[]> Echo(byte[] payload) => Task.FromResult(payload);
}

/// <summary>The same probe, reentrant: its turns may interleave (the control for the test above).</summary>
public interface IReentrantProbeGrain : IGrainWithStringKey
{
    Task Work(int delayMilliseconds);

    Task<int> GetMaxConcurrency();
}

[Reentrant]
public sealed class ReentrantProbeGrain : Grain, IReentrantProbeGrain
{
    private int _running;
    private int _maxConcurrency;

    public async Task Work(int delayMilliseconds)
    {
        var now = Interlocked.Increment(ref _running);
        _maxConcurrency = Math.Max(_maxConcurrency, now);
        try
        {
            await Task.Delay(delayMilliseconds);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public Task<int> GetMaxConcurrency() => Task.FromResult(_maxConcurrency);
}
