namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Bounds the validator enforces (docs/EXPERIMENT-SPEC.md). They keep a spec from asking for more than the cluster can
/// address (ranks, shard slices, flat buffers indexed by <see cref="int"/>) and keep hostile specs cheap to reject.
/// </summary>
public static class ExperimentSpecLimits
{
    /// <summary>Longest experiment name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest silo name in a device address.</summary>
    public const int MaxSiloNameLength = 63;

    /// <summary>Largest device index (<c>cuda:1023</c>).</summary>
    public const int MaxDeviceIndex = 1_023;

    /// <summary>Largest global batch size.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>Most steps.</summary>
    public const long MaxSteps = 1_000_000_000;

    /// <summary>Most workers.</summary>
    public const int MaxWorldSize = 1_024;

    /// <summary>Most parameter shards of one network.</summary>
    public const int MaxShards = 4_096;

    /// <summary>Widest fully connected layer.</summary>
    public const int MaxWidth = 16_384;

    /// <summary>Most hidden layers of a fully connected network.</summary>
    public const int MaxHiddenLayers = 16;

    /// <summary>Most base feature maps of a convolutional network (the DCGAN in grains/ accepts 1..1,024).</summary>
    public const int MaxFeatureMaps = 1_024;

    /// <summary>Longest latent vector.</summary>
    public const int MaxLatentDim = 4_096;

    /// <summary>Largest image side.</summary>
    public const int MaxImageSize = 1_024;

    /// <summary>Most image channels (grey, grey+alpha, RGB, RGBA).</summary>
    public const int MaxChannels = 4;

    /// <summary>Most trainable parameters of one network: its flat parameter and gradient buffers are indexed by <see cref="int"/>.</summary>
    public const long MaxParameters = int.MaxValue;

    /// <summary>Most checkpoints kept.</summary>
    public const int MaxCheckpointsKept = 1_000;

    /// <summary>Most intra-op threads of one worker.</summary>
    public const int MaxThreadsPerWorker = 256;

    /// <summary>Longest dataset location.</summary>
    public const int MaxLocationLength = 4_096;

    /// <summary>Longest spec text, in characters.</summary>
    public const int MaxDocumentLength = 1 << 20;

    /// <summary>Deepest nesting of mappings and sequences in spec text.</summary>
    public const int MaxNestingDepth = 64;
}
