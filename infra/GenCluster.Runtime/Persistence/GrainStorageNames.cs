using Microsoft.Extensions.DependencyInjection;

namespace GenCluster.Runtime.Persistence;

/// <summary>Names of grain storage providers, registered as keyed <see cref="IGrainStorage"/> services.</summary>
public static class GrainStorageNames
{
    /// <summary>The provider used when <see cref="PersistentStateAttribute.StorageName"/> is null.</summary>
    public const string Default = "Default";

    /// <summary>The storage provider registered as <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">None is registered under that name.</exception>
    public static IGrainStorage Resolve(IServiceProvider services, string name) =>
        services.GetKeyedService<IGrainStorage>(name)
        ?? throw new InvalidOperationException(
            $"no grain storage named '{name}' is registered; add one with AddMemoryGrainStorage(\"{name}\") or AddFileGrainStorage(\"{name}\", directory)");
}
