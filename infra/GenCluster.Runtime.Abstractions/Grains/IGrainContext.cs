namespace GenCluster.Runtime;

/// <summary>What the runtime gives an activation: its identity, services and lifecycle controls.</summary>
public interface IGrainContext
{
    /// <summary>The grain's identity.</summary>
    GrainId GrainId { get; }

    /// <summary>Creates references to other grains.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>The silo's service provider.</summary>
    IServiceProvider Services { get; }

    /// <summary>The name of the silo hosting this activation.</summary>
    string SiloName { get; }

    /// <summary>Starts a timer whose callbacks run as turns of this activation (never concurrently with a request).</summary>
    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);

    /// <summary>Deactivates the grain once the current turn ends.</summary>
    void DeactivateOnIdle();
}
