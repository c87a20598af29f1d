using GenCluster.Runtime;

namespace GenCluster.Cluster.TestGrains;

/// <summary>A persisted counter: every acknowledged increment is durable.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, persists, and returns the new value.</summary>
    Task<long> Increment();

    /// <summary>The current value.</summary>
    Task<long> Get();

    /// <summary>The value and the silo serving it.</summary>
    Task<CounterReading> Read();

    /// <summary>Deactivates the grain after this call.</summary>
    Task Deactivate();
}

/// <summary>A counter value, where it was read, and which activation served it.</summary>
[GenerateSerializer]
public sealed record CounterReading([Id(0)] long Value, [Id(1)] string SiloName, [Id(2)] string ActivationId);

/// <summary>The counter's durable state.</summary>
[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public long Value { get; set; }
}

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");

    public async Task<long> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<long> Get() => Task.FromResult(state.State.Value);

    public Task<CounterReading> Read() => Task.FromResult(new CounterReading(state.State.Value, GrainContext.SiloName, _activationId));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
