using System.Collections.Concurrent;

namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Takes its time, and notices when the caller cancels.</summary>
public interface ISlowGrain : IGrainWithStringKey
{
    /// <summary>Waits <paramref name="milliseconds"/> unless cancelled; returns the milliseconds waited.</summary>
    Task<int> Delay(int milliseconds, CancellationToken cancellationToken);

    /// <summary>Whether a <see cref="Delay"/> of this grain saw its token cancelled.</summary>
    [AlwaysInterleave]
    Task<bool> SawCancellation();

    Task<string> GetSiloName();
}

public sealed class SlowGrain : Grain, ISlowGrain
{
    private static readonly ConcurrentDictionary<string, bool> s_cancelled = new();

    public async Task<int> Delay(int milliseconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
            return milliseconds;
        }
        catch (OperationCanceledException)
        {
            s_cancelled[this.GetPrimaryKeyString()] = true;
            throw;
        }
    }

    public Task<bool> SawCancellation() => Task.FromResult(s_cancelled.GetValueOrDefault(this.GetPrimaryKeyString()));

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);
}
