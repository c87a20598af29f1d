using GenCluster.Runtime.Calls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GenCluster.Runtime.Client;

/// <summary>Registers a <see cref="ClusterClient"/> with dependency injection.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>Adds a singleton <see cref="ClusterClient"/> configured by <paramref name="configure"/>; connect it with <see cref="ClusterClient.ConnectAsync"/>.</summary>
    public static IServiceCollection AddGenClusterClient(this IServiceCollection services, Action<ClusterClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ClusterClientOptions>().Configure(configure);
        services.AddOptions<GrainCallOptions>();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClusterClient>();
        return services;
    }
}
