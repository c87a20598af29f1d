namespace GenCluster.Runtime.Tests.Grains;

/// <summary>A grain whose requests take a while, to observe turn scheduling.</summary>
public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary>Holds the turn for <paramref name="milliseconds"/> (across an await); returns how many turns ran at its start.</summary>
    Task<int> Work(int milliseconds);

    /// <summary>Like <see cref="Work"/>, but may interleave with anything.</summary>
    [AlwaysInterleave]
    Task<int> InterleavedWork(int milliseconds);

    /// <summary>The most turns that ever ran at once in this grain.</summary>
    [AlwaysInterleave]
    Task<int> MaxConcurrentTurns();
}

/// <summary>Non-reentrant: one request at a time, except <c>[AlwaysInterleave]</c> ones.</summary>
public sealed class NonReentrantGrain : Grain, ITurnGrain
{
    public Task<int> Work(int milliseconds) => TurnProbe.For(this.GetPrimaryKeyString()).RunAsync(milliseconds);

    public Task<int> InterleavedWork(int milliseconds) => TurnProbe.For(this.GetPrimaryKeyString()).RunAsync(milliseconds);

    public Task<int> MaxConcurrentTurns() => Task.FromResult(TurnProbe.For(this.GetPrimaryKeyString()).MaxConcurrent);
}

/// <summary>A second interface for a reentrant implementation (one class per interface keeps grain types unambiguous).</summary>
public interface IReentrantTurnGrain : IGrainWithStringKey
{
    Task<int> Work(int milliseconds);

    Task<int> MaxConcurrentTurns();
}

[Reentrant]
public sealed class ReentrantTurnGrain : Grain, IReentrantTurnGrain
{
    public Task<int> Work(int milliseconds) => TurnProbe.For("reentrant/" + this.GetPrimaryKeyString()).RunAsync(milliseconds);

    public Task<int> MaxConcurrentTurns() => Task.FromResult(TurnProbe.For("reentrant/" + this.GetPrimaryKeyString()).MaxConcurrent);
}
