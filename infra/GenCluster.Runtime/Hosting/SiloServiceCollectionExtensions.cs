using GenCluster.Membership;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Gateway;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Placement;
using GenCluster.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Hosting;

/// <summary>Registers a silo with dependency injection.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds a silo: the runtime, the transport, cluster membership and a <see cref="SiloHost"/> hosted service.
    /// Unless registered before, the membership table is an <see cref="InMemoryMembershipTable"/> (a one-process
    /// cluster). Register grain storage with <c>AddMemoryGrainStorage</c>/<c>AddFileGrainStorage</c>, and tune
    /// <see cref="MembershipOptions"/>, <see cref="GrainCallOptions"/> and <see cref="GrainCollectionOptions"/> with
    /// <c>services.Configure</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the silo's name, cluster, secret, endpoint and devices.</param>
    public static IServiceCollection AddGenClusterSilo(this IServiceCollection services, Action<SiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SiloOptions>().Configure(configure);
        services.AddOptions<GrainCallOptions>();
        services.AddOptions<GrainCollectionOptions>();
        services.TryAddSingleton(TimeProvider.System);

        // The silo's options are the single source of the cluster id (and, when set, the secret) the transport proves.
        services.AddGenClusterTransport(_ => { });
        services.AddOptions<TransportOptions>().Configure<IOptions<SiloOptions>>((transport, silo) =>
        {
            transport.ClusterId = silo.Value.ClusterId;
            if (!string.IsNullOrEmpty(silo.Value.ClusterSecret))
            {
                transport.ClusterSecret = silo.Value.ClusterSecret;
            }
        });
        services.TryAddSingleton<TcpFrameTransport>();
        services.TryAddSingleton<IFrameListener>(provider => provider.GetRequiredService<TcpFrameTransport>());
        services.TryAddSingleton<IFrameConnector>(provider => provider.GetRequiredService<TcpFrameTransport>());

        services.TryAddSingleton<IMembershipTable, InMemoryMembershipTable>();
        services.AddClusterMembership();
        services.TryAddSingleton<ISiloProber, SiloProber>();
        services.TryAddSingleton(provider => provider.GetRequiredService<LocalSilo>().Details);

        services.TryAddSingleton<LocalSilo>();
        services.TryAddSingleton<ClusterMembership>();
        services.TryAddSingleton<PendingRequestTable>();
        services.TryAddSingleton<SiloConnections>();
        services.TryAddSingleton<MessageCenter>();

        services.TryAddSingleton<GrainDirectoryPartition>();
        services.TryAddSingleton<IGrainDirectory, DistributedGrainDirectory>();
        services.TryAddSingleton<GrainDirectoryCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISystemTarget, DirectorySystemTarget>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlacementDirector, HashBasedPlacementDirector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlacementDirector, PreferLocalPlacementDirector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlacementDirector, PinnedPlacementDirector>());
        services.TryAddSingleton<PlacementService>();
        services.TryAddSingleton<GrainLocator>();

        services.TryAddSingleton<GrainActivator>();
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<ActivationCollector>();

        services.TryAddSingleton<GrainRequestRouter>();
        services.TryAddSingleton<IGrainCallInvoker>(provider => new GrainCallInvoker(
            provider.GetRequiredService<GrainRequestRouter>(),
            provider.GetRequiredService<IOptions<GrainCallOptions>>()));
        services.TryAddSingleton<GrainTypeResolver>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();

        services.TryAddSingleton<ClientGateway>();
        services.TryAddSingleton<SiloMessageHandler>();
        services.TryAddSingleton<SiloHost>();
        services.AddHostedService(provider => provider.GetRequiredService<SiloHost>());
        return services;
    }
}
