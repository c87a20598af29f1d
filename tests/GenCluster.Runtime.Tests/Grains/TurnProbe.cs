using System.Collections.Concurrent;

namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Counts how many turns of one grain run at once, and the most that ever did.</summary>
public sealed class TurnProbe
{
    private static readonly ConcurrentDictionary<string, TurnProbe> s_probes = new();
    private int _running;
    private int _maxRunning;

    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    public static TurnProbe For(string key) => s_probes.GetOrAdd(key, _ => new TurnProbe());

    public async Task<int> RunAsync(int milliseconds)
    {
        int running = Interlocked.Increment(ref _running);
        int max;
        while ((max = Volatile.Read(ref _maxRunning)) < running && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        try
        {
            await Task.Delay(milliseconds);
            return running;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
