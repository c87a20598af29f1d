using System.Collections.Concurrent;

namespace GenCluster.Runtime.Tests.Grains;

/// <summary>A grain that counts its activations (per key, across all silos of the process).</summary>
public interface IActivationCountingGrain : IGrainWithStringKey
{
    Task<string> GetSiloName();
}

/// <summary>Prefers the calling silo, so concurrent first calls from every silo contend for the activation.</summary>
[Placement(PlacementKind.PreferLocal)]
public sealed class PreferLocalGrain : Grain, IActivationCountingGrain
{
    private static readonly ConcurrentDictionary<string, int> s_activations = new();

    public static int ActivationsOf(string key) => s_activations.GetValueOrDefault(key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        s_activations.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);
}

/// <summary>Lives on the silo its key names (<c>silo-name/device</c>).</summary>
public interface IPinnedGrain : IGrainWithStringKey
{
    Task<string> GetSiloName();
}

[Placement(PlacementKind.Pinned)]
public sealed class PinnedGrain : Grain, IPinnedGrain
{
    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);
}
