using GenCluster.Runtime.GrainDirectory;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Activation;

/// <summary>What every activation of a silo shares: services, directory, the grain activator, options and clock.</summary>
internal sealed class ActivationRuntime
{
    private readonly Func<IGrainFactory> _grainFactory;

    /// <summary>Creates the shared runtime of a silo's activations.</summary>
    public ActivationRuntime(
        IServiceProvider services,
        Func<IGrainFactory> grainFactory,
        string siloName,
        IGrainDirectory directory,
        GrainActivator activator,
        GrainCollectionOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        Action<ActivationData, IReadOnlyList<IncomingRequest>> onDeactivated)
    {
        Services = services;
        _grainFactory = grainFactory;
        SiloName = siloName;
        Directory = directory;
        Activator = activator;
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;
        OnDeactivated = onDeactivated;
    }

    /// <summary>The silo's service provider.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Creates references for grain code (resolved on first use: it depends on the router, which depends on the catalog).</summary>
    public IGrainFactory GrainFactory => _grainFactory();

    /// <summary>The name of the silo.</summary>
    public string SiloName { get; }

    /// <summary>The grain directory activations register in.</summary>
    public IGrainDirectory Directory { get; }

    /// <summary>Constructs grain instances.</summary>
    public GrainActivator Activator { get; }

    /// <summary>Timeouts and idle limits.</summary>
    public GrainCollectionOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The activations' logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Called once an activation is gone, with the requests that reached it too late (to serve elsewhere).</summary>
    public Action<ActivationData, IReadOnlyList<IncomingRequest>> OnDeactivated { get; }
}
