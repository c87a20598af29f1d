using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GenCluster.Transport;

/// <summary>Registers the transport with dependency injection.</summary>
public static class TransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TransportServer"/> and <see cref="TransportClient"/> (singletons) with
    /// <see cref="TransportOptions"/> bound from the <c>Transport</c> section of <paramref name="configuration"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root (or any configuration holding a <c>Transport</c> section).</param>
    public static IServiceCollection AddGenClusterTransport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TransportOptions>().Bind(configuration.GetSection(TransportOptions.SectionName));
        return services.AddTransportCore();
    }

    /// <summary>Adds <see cref="TransportServer"/> and <see cref="TransportClient"/> (singletons) configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (at least <see cref="TransportOptions.ClusterSecret"/>).</param>
    public static IServiceCollection AddGenClusterTransport(this IServiceCollection services, Action<TransportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TransportOptions>().Configure(configure);
        return services.AddTransportCore();
    }

    private static IServiceCollection AddTransportCore(this IServiceCollection services)
    {
        services.AddOptions<TransportOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransportOptions>, TransportOptionsValidator>());
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TransportServer>();
        services.TryAddSingleton<TransportClient>();
        return services;
    }
}
