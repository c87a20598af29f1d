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
}
