namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Reports the request context it runs with.</summary>
public interface IContextGrain : IGrainWithStringKey
{
    Task<string?> Get(string key);

    /// <summary>Asks another context grain for <paramref name="key"/> (the context must flow there).</summary>
    Task<string?> GetVia(string otherGrain, string key);

    Task<string> GetSiloName();
}

public sealed class ContextGrain : Grain, IContextGrain
{
    public Task<string?> Get(string key) => Task.FromResult(RequestContext.Get(key));

    public Task<string?> GetVia(string otherGrain, string key) => GrainFactory.GetGrain<IContextGrain>(otherGrain).Get(key);

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);
}
