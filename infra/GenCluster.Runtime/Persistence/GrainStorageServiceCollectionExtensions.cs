using Microsoft.Extensions.DependencyInjection;

namespace GenCluster.Runtime.Persistence;

/// <summary>Registers named grain storage providers (keyed <see cref="IGrainStorage"/> services).</summary>
public static class GrainStorageServiceCollectionExtensions
{
    /// <summary>Adds an in-memory storage provider named <paramref name="name"/>.</summary>
    public static IServiceCollection AddMemoryGrainStorage(this IServiceCollection services, string name = GrainStorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new MemoryGrainStorage());
    }

    /// <summary>Adds a file storage provider named <paramref name="name"/> keeping its files under <paramref name="rootDirectory"/>.</summary>
    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name, string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        return services.AddKeyedSingleton<IGrainStorage>(
            name,
            (provider, _) => new FileGrainStorage(new FileGrainStorageOptions { RootDirectory = rootDirectory }, provider.GetService<TimeProvider>()));
    }

    /// <summary>Adds a file storage provider named <see cref="GrainStorageNames.Default"/>.</summary>
    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string rootDirectory) =>
        services.AddFileGrainStorage(GrainStorageNames.Default, rootDirectory);
}
