namespace GenCluster.Training.Grains.Hosting;

/// <summary>How a silo hosts training grains.</summary>
public sealed class TrainingGrainOptions
{
    /// <summary>
    /// Devices workers may be pinned to on this silo (<c>cpu:N</c>, <c>cuda:N</c>); each gets one compute thread.
    /// Default: the silo's advertised devices (<c>SiloOptions.Devices</c>).
    /// </summary>
    public IList<string>? Devices { get; set; }

    /// <summary>Where Fashion-MNIST's IDX files are; default: <c>GENCLUSTER_FASHION_MNIST_DIR</c> or the Debian package's folder.</summary>
    public string? DatasetDirectory { get; set; }

    /// <summary>How long the coordinator waits for a ping when it diagnoses a failed step. Default 2 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long building models, loading data and seeding shards may take. Default 2 min.</summary>
    public TimeSpan SetupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The coordinator persists its step count every this many steps (and at every state change). Default 50.</summary>
    public int PersistEverySteps { get; set; } = 50;

    /// <summary>
    /// Gradient buckets of one model a worker has pushed and not yet written back, at most. Default 2: enough to keep a
    /// bucket on the wire while the previous one is summed and answered, and few enough that the large arrays of a
    /// step are reused by the GC instead of every bucket faulting in fresh pages (which took a third of the silos' CPU
    /// in the all-reduce benchmark with all buckets in flight).
    /// </summary>
    public int BucketsInFlight { get; set; } = 2;

    /// <summary>
    /// Whether a worker sends each gradient bucket as soon as backward has finished its parameters (autograd's
    /// accumulator hooks), rather than after the whole backward pass. Default true; false is for comparing the two.
    /// </summary>
    public bool SendBucketsDuringBackward { get; set; } = true;

    /// <summary>
    /// Whether a worker runs the next step's real half (D's forward and backward on real images, which needs only D's
    /// new weights) while its G buckets are on the wire. Default true; false is for comparing the two.
    /// </summary>
    public bool RunRealHalfAhead { get; set; } = true;

    /// <summary>Events a coordinator keeps for late watchers. Default 10,000.</summary>
    public int EventHistory { get; set; } = 10_000;

    /// <summary>How many times an experiment with checkpoints may resume after a lost worker or coordinator. Default 20.</summary>
    public int MaxRecoveries { get; set; } = 20;

    /// <summary>How long one recovery may keep trying (while the cluster declares the lost silo dead). Default 3 min.</summary>
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Pause between attempts of one recovery. Default 1 s.</summary>
    public TimeSpan RecoveryRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each silo looks for running experiments whose coordinator must be re-activated. Default 2 s.</summary>
    public TimeSpan ReactivationScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A pause between the shard objects and the manifest of every checkpoint — zero except in fault tests, which
    /// use it to kill a silo while a checkpoint is half written. Default 0.
    /// </summary>
    public TimeSpan ManifestWriteDelay { get; set; } = TimeSpan.Zero;
}
