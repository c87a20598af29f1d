using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Produces streams of numbers.</summary>
public interface IStreamGrain : IGrainWithStringKey
{
    /// <summary>Yields 0 .. count-1, waiting <paramref name="delayMilliseconds"/> before each.</summary>
    IAsyncEnumerable<int> Count(int count, int delayMilliseconds, CancellationToken cancellationToken);

    /// <summary>Yields 0 .. count-1, then throws.</summary>
    IAsyncEnumerable<int> CountThenFail(int count);

    /// <summary>How the last <see cref="Count"/> of this grain ended: "completed", "cancelled", or null while running.</summary>
    [AlwaysInterleave]
    Task<string?> LastOutcome();
}

public sealed class StreamGrain : Grain, IStreamGrain
{
    private static readonly ConcurrentDictionary<string, string> s_outcomes = new();

    public async IAsyncEnumerable<int> Count(int count, int delayMilliseconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string key = this.GetPrimaryKeyString();
        s_outcomes.TryRemove(key, out _);
        bool completed = false;
        try
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Delay(delayMilliseconds, cancellationToken);
                yield return i;
            }

            completed = true;
        }
        finally
        {
            s_outcomes[key] = completed ? "completed" : "cancelled";
        }
    }

    public async IAsyncEnumerable<int> CountThenFail(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new InvalidOperationException($"failed after {count} items");
    }

    public Task<string?> LastOutcome() => Task.FromResult(s_outcomes.GetValueOrDefault(this.GetPrimaryKeyString()));
}
