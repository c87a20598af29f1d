using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Grains;

/// <summary>Implements a derived grain interface; named explicitly, reentrant, placed locally.</summary>
[GrainType("custom-counter")]
[Reentrant]
[Placement(PlacementKind.PreferLocal)]
public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _value;

    public Task<string> WhoAmI() => Task.FromResult("counter");

    public Task<int> Increment(int by) => Task.FromResult(_value += by);
}

/// <summary>An abstract grain base: not registered itself; its placement is inherited.</summary>
[Placement(PlacementKind.Pinned)]
public abstract class KeyedGrainBase : Grain, IAliasedGrain
{
    public abstract Task<long> GetKey();
}

/// <summary>A concrete grain inheriting interface and placement from its base.</summary>
public sealed class PinnedKeyGrain : KeyedGrainBase
{
    public override Task<long> GetKey() => Task.FromResult(long.Parse(GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture));
}
