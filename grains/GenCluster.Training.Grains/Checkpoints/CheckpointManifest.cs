namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>
/// The commit point of one checkpoint (<c>manifest.json</c>, written once, after every shard object): which objects
/// make up the checkpoint, with their SHA-256 and sizes, and where training continues.
/// </summary>
/// <param name="Format">The manifest format, 1.</param>
/// <param name="Experiment">The experiment id.</param>
/// <param name="Step">Completed steps: training resumes by running this step.</param>
/// <param name="WorldSize">W, the logical ranks whose samples and noise the run draws.</param>
/// <param name="Seed">The plan's seed.</param>
/// <param name="SamplerPosition">
/// The data sampler's position: the sampler and the latent-noise streams are keyed by (seed, step, rank), so the
/// position is the step — restoring it means running <see cref="Step"/> next with the same W and seed.
/// </param>
/// <param name="Devices">Where the ranks ran when it was written (information only).</param>
/// <param name="CreatedAt">When the manifest was written.</param>
/// <param name="Objects">Every shard object of both models.</param>
internal sealed record CheckpointManifest(
    int Format,
    string Experiment,
    long Step,
    int WorldSize,
    ulong Seed,
    long SamplerPosition,
    string[] Devices,
    DateTimeOffset CreatedAt,
    ManifestObject[] Objects);

/// <summary>One shard object in a manifest.</summary>
/// <param name="Model"><c>G</c> or <c>D</c>.</param>
/// <param name="Shard">The shard's index.</param>
/// <param name="Offset">First element of the slice.</param>
/// <param name="Length">Elements in the slice.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its bytes.</param>
/// <param name="Bytes">Its size.</param>
internal sealed record ManifestObject(string Model, int Shard, long Offset, int Length, string Name, string Sha256, long Bytes);
