namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Throws what it is asked to, from a method a few frames deep.</summary>
public interface IErrorGrain : IGrainWithStringKey
{
    Task Throw(string kind);

    /// <summary>Calls <see cref="Throw"/> on another error grain and lets its exception pass through.</summary>
    Task ThrowVia(string otherKey, string kind);
}

public sealed class GrainSpecificException(string message) : Exception(message);

public sealed class ErrorGrain : Grain, IErrorGrain
{
    public Task Throw(string kind)
    {
        ThrowNow(kind);
        return Task.CompletedTask;
    }

    public Task ThrowVia(string otherKey, string kind) => GrainFactory.GetGrain<IErrorGrain>(otherKey).Throw(kind);

    private static void ThrowNow(string kind) => throw (kind switch
    {
        "key" => new KeyNotFoundException("no such shard"),
        "argument" => new ArgumentException("must be positive", "count"),
        "range" => new ArgumentOutOfRangeException("step", "step is past the end"),
        "inconsistent" => new InconsistentStateException("lost the race"),
        "custom" => new GrainSpecificException("something grain-specific"),
        _ => (Exception)new InvalidOperationException($"bad kind {kind}"),
    });
}
