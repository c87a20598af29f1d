namespace GenCluster.Runtime.Tests.Grains;

/// <summary>A plain grain with in-memory state: where it runs, and a counter.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    /// <summary>Increments without the caller waiting.</summary>
    [OneWay]
    Task Bump();

    /// <summary>Sends itself <see cref="Bump"/> as a one-way call, through the router like any other caller.</summary>
    Task BumpSelf();

    Task<int> Get();

    Task<string> GetSiloName();

    /// <summary>Calls <see cref="Increment"/> on another counter and returns (that counter's value, its silo).</summary>
    Task<(int Value, string Silo)> IncrementOther(string key);

    Task Deactivate();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _value;

    public Task<int> Increment() => Task.FromResult(++_value);

    public Task Bump()
    {
        _value++;
        return Task.CompletedTask;
    }

    public Task BumpSelf() => GrainFactory.GetGrain<ICounterGrain>(GetPrimaryKeyString()).Bump();

    public Task<int> Get() => Task.FromResult(_value);

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);

    public async Task<(int Value, string Silo)> IncrementOther(string key)
    {
        var other = GrainFactory.GetGrain<ICounterGrain>(key);
        int value = await other.Increment();
        return (value, await other.GetSiloName());
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
