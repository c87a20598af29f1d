namespace GenCluster.Contracts.Experiments;

/// <summary>
/// The value of every optional field a spec leaves out (docs/EXPERIMENT-SPEC.md). Model sizes depend on the
/// family and live with it (<see cref="ModelSpec.ForFamily"/>).
/// </summary>
public static class ExperimentSpecDefaults
{
    /// <summary><c>dataset.name</c>.</summary>
    public const string DatasetName = "fashion-mnist";

    /// <summary><c>dataset.location</c>: the Debian package's directory on every node.</summary>
    public const string DatasetLocation = "debian:fashion-mnist";

    /// <summary><c>dataset.split</c>.</summary>
    public const DatasetSplit DatasetSplit = Experiments.DatasetSplit.Train;

    /// <summary><c>batchSize</c>, as in pytorch/examples' DCGAN.</summary>
    public const int BatchSize = 64;

    /// <summary><c>steps</c>.</summary>
    public const long Steps = 1_000;

    /// <summary><c>worldSize</c>: one worker.</summary>
    public const int WorldSize = 1;

    /// <summary><c>shards.generator</c> and <c>shards.discriminator</c>.</summary>
    public const int Shards = 1;

    /// <summary><c>checkpoints.interval</c> in steps.</summary>
    public const long CheckpointInterval = 1_000;

    /// <summary><c>checkpoints.keep</c>.</summary>
    public const int CheckpointKeep = 3;

    /// <summary><c>seed</c>.</summary>
    public const long Seed = 0;

    /// <summary><c>threadsPerWorker</c>.</summary>
    public const int ThreadsPerWorker = 1;

    /// <summary><c>lr</c> of an <c>adam</c> optimizer that leaves it out (PyTorch's default).</summary>
    public const double AdamLr = 1e-3;

    /// <summary><c>betas[0]</c> of <c>adam</c> (PyTorch's default).</summary>
    public const double AdamBeta1 = 0.9;

    /// <summary><c>betas[1]</c> of <c>adam</c> (PyTorch's default).</summary>
    public const double AdamBeta2 = 0.999;

    /// <summary><c>eps</c> of <c>adam</c> (PyTorch's default).</summary>
    public const double AdamEps = 1e-8;
}
