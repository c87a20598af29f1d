namespace GenCluster.Runtime.Activation;

/// <summary>The life of one activation.</summary>
internal enum ActivationState
{
    /// <summary>Registering in the directory, constructing the grain, reading state, running <see cref="Grain.OnActivateAsync"/>; requests queue.</summary>
    Activating,

    /// <summary>Serving requests.</summary>
    Valid,

    /// <summary>Finishing running turns, then <see cref="Grain.OnDeactivateAsync"/>; new requests queue for the next activation.</summary>
    Deactivating,

    /// <summary>Gone: removed from the catalog and the directory.</summary>
    Invalid,
}
