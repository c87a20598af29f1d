namespace GenCluster.Runtime.Activation;

/// <summary>When idle activations are deactivated, and how long lifecycle callbacks may take.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation nobody called for this long is deactivated. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long <see cref="Grain.OnActivateAsync"/> may run before its token is cancelled. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="Grain.OnDeactivateAsync"/> may run before its token is cancelled. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A request arriving from another silo for an idle activation starts its turn on the connection's receive thread
    /// (and a grain's reply continues there), saving a thread wake-up, as long as that synchronous part takes at most
    /// this long. An activation whose inline part overran it three times in a row queues its work for 1 s, then 2 s,
    /// … up to 64 s, so a grain method that computes for long before its first await holds up the connection's other
    /// messages rarely. Zero turns inline runs off. Default 1 ms.
    /// </summary>
    public TimeSpan InlineTurnBudget { get; set; } = TimeSpan.FromMilliseconds(1);
}
