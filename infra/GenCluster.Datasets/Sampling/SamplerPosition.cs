namespace GenCluster.Datasets;

/// <summary>
/// Where a <see cref="DataParallelSampler"/> stands: its seed and the next global step.
/// </summary>
/// <remarks>
/// Batches are a pure function of (seed, step) for a given dataset size and global batch size,
/// so this pair is the whole state needed to resume sampling after a checkpoint. It serialises
/// as two numbers (e.g. with System.Text.Json: <c>{"Seed":42,"Step":1000}</c>).
/// </remarks>
/// <param name="Seed">The sampler's seed.</param>
/// <param name="Step">The global step, counted from 0 across epochs.</param>
public readonly record struct SamplerPosition(ulong Seed, long Step)
{
    /// <summary>The position one step further on.</summary>
    /// <returns>A position with the same seed and <see cref="Step"/> + 1.</returns>
    public SamplerPosition Next() => this with { Step = checked(Step + 1) };
}
