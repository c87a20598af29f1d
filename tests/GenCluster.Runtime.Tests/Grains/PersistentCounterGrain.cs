namespace GenCluster.Runtime.Tests.Grains;

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public List<string> Silos { get; set; } = [];
}

/// <summary>A counter persisted in the "files" storage on every increment.</summary>
public interface IPersistentCounterGrain : IGrainWithStringKey
{
    /// <summary>Increments and writes the state; returns the new value.</summary>
    Task<int> Increment();

    /// <summary>The value and the silos that ever incremented it, as this activation has them.</summary>
    Task<CounterState> Get();

    Task<string> GetSiloName();

    Task Deactivate();
}

public sealed class PersistentCounterGrain : Grain, IPersistentCounterGrain
{
    private readonly IPersistentState<CounterState> _state;

    public PersistentCounterGrain([PersistentState("counter", "files")] IPersistentState<CounterState> state)
    {
        _state = state;
    }

    public async Task<int> Increment()
    {
        _state.State.Value++;
        _state.State.Silos.Add(GrainContext.SiloName);
        await _state.WriteStateAsync();
        return _state.State.Value;
    }

    public Task<CounterState> Get() => Task.FromResult(_state.State);

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
