namespace GenCluster.Datasets;

/// <summary>
/// Deterministic data-parallel batch sampler: which dataset indices each worker (rank) or
/// micro-batch uses at each global step.
/// </summary>
/// <remarks>
/// <para>For a dataset of N items, a seed and a global batch size B:</para>
/// <list type="bullet">
/// <item><description>Epoch <c>e</c>'s permutation of 0..N−1 starts from the identity and is shuffled by
/// <see cref="DeterministicRandom.Shuffle{T}"/> (Fisher–Yates) with a generator seeded by
/// <c>DeterministicRandom.Mix(seed, e, <see cref="PermutationStream"/>)</c>; it is the same on every machine.</description></item>
/// <item><description>Each epoch has <see cref="StepsPerEpoch"/> = floor(N/B) global batches; the last partial batch is dropped.</description></item>
/// <item><description>Steps count from 0 across epochs. Global batch <c>s</c> is positions [j·B, (j+1)·B) of epoch
/// <c>e</c>'s permutation, where <c>e = s / StepsPerEpoch</c> and <c>j = s % StepsPerEpoch</c>.</description></item>
/// <item><description>With world size W (B divisible by W), rank r takes the contiguous slice [r·B/W, (r+1)·B/W)
/// of the global batch. The union over ranks is therefore exactly the single-worker global batch, and
/// micro-batch i of W for gradient accumulation is the same slice as rank i.</description></item>
/// </list>
/// <para>The sampler is immutable apart from a cache of the latest epoch's permutation and is safe to share between threads.</para>
/// </remarks>
public sealed class DataParallelSampler
{
    /// <summary>The stream key that separates epoch permutations from other streams derived from the same seed ("PERM").</summary>
    public const ulong PermutationStream = 0x5045524DUL;

    private EpochPermutation? _cached;

    /// <summary>Creates a sampler.</summary>
    /// <param name="datasetSize">N, the number of items; positive.</param>
    /// <param name="globalBatchSize">B, the global batch size summed over all workers; 1..N.</param>
    /// <param name="seed">The seed of the epoch permutations.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or B exceeds N.</exception>
    public DataParallelSampler(int datasetSize, int globalBatchSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(datasetSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatchSize);
        if (globalBatchSize > datasetSize)
        {
            throw new ArgumentOutOfRangeException(nameof(globalBatchSize), globalBatchSize,
                $"The global batch size {globalBatchSize} exceeds the dataset size {datasetSize}: an epoch would have no full batch.");
        }

        DatasetSize = datasetSize;
        GlobalBatchSize = globalBatchSize;
        Seed = seed;
        StepsPerEpoch = datasetSize / globalBatchSize;
    }

    /// <summary>N, the number of items in the dataset.</summary>
    public int DatasetSize { get; }

    /// <summary>B, the global batch size summed over all workers.</summary>
    public int GlobalBatchSize { get; }

    /// <summary>The seed of the epoch permutations.</summary>
    public ulong Seed { get; }

    /// <summary>floor(N/B): the number of global batches in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The epoch that global step <paramref name="step"/> belongs to.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <returns><c>step / StepsPerEpoch</c>.</returns>
    public long EpochOf(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step / StepsPerEpoch;
    }

    /// <summary>The index of global step <paramref name="step"/> within its epoch.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <returns><c>step % StepsPerEpoch</c>.</returns>
    public int BatchInEpoch(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return (int)(step % StepsPerEpoch);
    }

    /// <summary>The position at global step <paramref name="step"/>, for checkpoints.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <returns>The (seed, step) pair.</returns>
    public SamplerPosition PositionAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return new SamplerPosition(Seed, step);
    }

    /// <summary>Checks that <paramref name="position"/> was taken from a sampler with this seed and returns its step.</summary>
    /// <param name="position">A position saved earlier.</param>
    /// <returns>The step to resume at.</returns>
    /// <exception cref="ArgumentException">The position belongs to a different seed, or its step is negative.</exception>
    public long Resume(SamplerPosition position)
    {
        if (position.Seed != Seed)
        {
            throw new ArgumentException($"The position was saved with seed {position.Seed}, this sampler has seed {Seed}.", nameof(position));
        }

        if (position.Step < 0)
        {
            throw new ArgumentException($"The position's step {position.Step} is negative.", nameof(position));
        }

        return position.Step;
    }

    /// <summary>Checks that the global batch can be split evenly over <paramref name="worldSize"/> workers or micro-batches.</summary>
    /// <param name="worldSize">W, the number of workers or micro-batches.</param>
    /// <returns>B / W, the per-worker batch size.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="worldSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">B is not divisible by W.</exception>
    public int LocalBatchSize(int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        if (GlobalBatchSize % worldSize != 0)
        {
            throw new ArgumentException(
                $"The global batch size {GlobalBatchSize} is not divisible by the world size {worldSize}; choose a global batch size that is a multiple of the number of workers.",
                nameof(worldSize));
        }

        return GlobalBatchSize / worldSize;
    }

    /// <summary>A copy of epoch <paramref name="epoch"/>'s permutation of 0..N−1.</summary>
    /// <param name="epoch">The epoch, 0 or more.</param>
    /// <returns>A new array of N distinct indices.</returns>
    public int[] GetEpochPermutation(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Permutation(epoch).ToArray();
    }

    /// <summary>The dataset indices of global batch <paramref name="step"/> (all B of them, in order).</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <returns>A new array of B indices.</returns>
    public int[] GetGlobalBatch(long step) => GetSlice(step, 0, 1);

    /// <summary>Copies the dataset indices of global batch <paramref name="step"/> into <paramref name="destination"/>, without allocating once the epoch's permutation is cached.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <param name="destination">Receives B indices; must hold at least B.</param>
    public void CopyGlobalBatch(long step, Span<int> destination) => CopySlice(step, 0, 1, destination);

    /// <summary>The dataset indices that rank <paramref name="rank"/> of <paramref name="worldSize"/> uses at global step <paramref name="step"/>.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <param name="rank">The worker's rank, 0..W−1.</param>
    /// <param name="worldSize">W, the number of workers; must divide B.</param>
    /// <returns>A new array of B/W indices: positions [r·B/W, (r+1)·B/W) of the global batch.</returns>
    public int[] GetRankBatch(long step, int rank, int worldSize) => GetSlice(step, rank, worldSize);

    /// <summary>Copies the indices of rank <paramref name="rank"/>'s batch at global step <paramref name="step"/> into <paramref name="destination"/>.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <param name="rank">The worker's rank, 0..W−1.</param>
    /// <param name="worldSize">W, the number of workers; must divide B.</param>
    /// <param name="destination">Receives B/W indices; must hold at least B/W.</param>
    public void CopyRankBatch(long step, int rank, int worldSize, Span<int> destination) => CopySlice(step, rank, worldSize, destination);

    /// <summary>
    /// The indices of micro-batch <paramref name="microBatch"/> of <paramref name="microBatchCount"/> at global step
    /// <paramref name="step"/>, for one worker accumulating gradients over the whole global batch. Micro-batch i is
    /// exactly what rank i of a world of <paramref name="microBatchCount"/> workers would use.
    /// </summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <param name="microBatch">The micro-batch index, 0..count−1.</param>
    /// <param name="microBatchCount">The number of micro-batches; must divide B.</param>
    /// <returns>A new array of B/count indices.</returns>
    public int[] GetMicroBatch(long step, int microBatch, int microBatchCount) => GetSlice(step, microBatch, microBatchCount);

    /// <summary>Copies the indices of a micro-batch (see <see cref="GetMicroBatch"/>) into <paramref name="destination"/>.</summary>
    /// <param name="step">A global step, 0 or more.</param>
    /// <param name="microBatch">The micro-batch index, 0..count−1.</param>
    /// <param name="microBatchCount">The number of micro-batches; must divide B.</param>
    /// <param name="destination">Receives B/count indices; must hold at least that many.</param>
    public void CopyMicroBatch(long step, int microBatch, int microBatchCount, Span<int> destination) =>
        CopySlice(step, microBatch, microBatchCount, destination);

    private int[] GetSlice(long step, int part, int parts)
    {
        var result = new int[LocalBatchSize(parts)];
        CopySlice(step, part, parts, result);
        return result;
    }

    private void CopySlice(long step, int part, int parts, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        int local = LocalBatchSize(parts);
        if ((uint)part >= (uint)parts)
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, $"The rank or micro-batch index must be in 0..{parts - 1}.");
        }

        if (destination.Length < local)
        {
            throw new ArgumentException($"The destination holds {destination.Length} indices; the batch has {local}.", nameof(destination));
        }

        long epoch = step / StepsPerEpoch;
        int batchInEpoch = (int)(step % StepsPerEpoch);
        int start = (batchInEpoch * GlobalBatchSize) + (part * local);
        Permutation(epoch).AsSpan(start, local).CopyTo(destination);
    }

    private int[] Permutation(long epoch)
    {
        EpochPermutation? cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Epoch == epoch)
        {
            return cached.Indices;
        }

        var indices = new int[DatasetSize];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        DeterministicRandom.ForKeys(Seed, unchecked((ulong)epoch), PermutationStream).Shuffle(indices.AsSpan());
        Volatile.Write(ref _cached, new EpochPermutation(epoch, indices));
        return indices;
    }

    private sealed record EpochPermutation(long Epoch, int[] Indices);
}
