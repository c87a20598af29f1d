using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GenCluster.Membership;

/// <summary>Registers the membership agent with dependency injection.</summary>
public static class MembershipServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MembershipAgent"/> as a singleton, validated <see cref="MembershipOptions"/> and
    /// <see cref="TimeProvider.System"/> (unless a <see cref="TimeProvider"/> is registered). The host registers
    /// the <see cref="IMembershipTable"/>, the <see cref="ISiloProber"/> and the <see cref="LocalSiloDetails"/>.
    /// </summary>
    public static IServiceCollection AddClusterMembership(this IServiceCollection services, Action<MembershipOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MembershipOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MembershipOptions>, MembershipOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MembershipAgent>();
        return services;
    }
}
