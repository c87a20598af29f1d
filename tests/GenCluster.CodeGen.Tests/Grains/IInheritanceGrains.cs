using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Grains;

/// <summary>A base grain interface: its methods keep its own interface id wherever they are called through.</summary>
public interface IIdentityGrain : IGrainWithStringKey
{
    Task<string> WhoAmI();
}

/// <summary>A grain interface extending another.</summary>
public interface ICounterGrain : IIdentityGrain
{
    Task<int> Increment(int by);
}

/// <summary>A grain interface with an alias: its id survives renames.</summary>
[Alias("test-aliased-interface")]
public interface IAliasedGrain : IGrainWithIntegerKey
{
    Task<long> GetKey();
}
