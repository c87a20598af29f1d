namespace GenCluster.Runtime.Tests.Grains;

/// <summary>A grain addressed by an integer key.</summary>
public interface IIntegerKeyGrain : IGrainWithIntegerKey
{
    Task<string> GetKey();
}

public sealed class IntegerKeyGrain : Grain, IIntegerKeyGrain
{
    public Task<string> GetKey() => Task.FromResult(this.GetPrimaryKeyString());
}
