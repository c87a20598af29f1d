namespace GenCluster.Runtime.Hosting;

/// <summary>Where a silo is in its life, as its health report shows it.</summary>
public enum SiloLifecycleStatus
{
    /// <summary>Configured, not started.</summary>
    Created,

    /// <summary>Listening and joining the cluster.</summary>
    Starting,

    /// <summary>An active member serving calls.</summary>
    Active,

    /// <summary>Deactivating its grains and leaving the cluster.</summary>
    ShuttingDown,

    /// <summary>Left the cluster gracefully.</summary>
    Stopped,

    /// <summary>Declared dead by the cluster (or crashed in a test) and stopped without deactivating grains.</summary>
    Dead,
}
