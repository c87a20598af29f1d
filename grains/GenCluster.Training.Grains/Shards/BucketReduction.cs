using System.Numerics.Tensors;
using GenCluster.Contracts.Training;
using GenCluster.Training.Optim;

namespace GenCluster.Training.Grains.Shards;

/// <summary>
/// One bucket of a shard across steps: collects the W ranks' gradients for the current step, sums them in rank order
/// as soon as they arrive contiguously from rank 0 (so the sum does not depend on arrival order, and matches one
/// worker accumulating micro-batches 0..W−1), divides by W, runs Adam on the bucket's parameters and completes every
/// rank's wait with the new values. In <see cref="ShardUpdate.Sum"/> mode it stores and answers the plain sum instead
/// (an all-reduce).
/// </summary>
internal sealed class BucketReduction
{
    private readonly int _index;
    private readonly int _worldSize;
    private readonly Adam? _adam;
    private readonly float[]?[] _arrived;
    private float[]? _sum;
    private int _summed;
    private TaskCompletionSource<float[]> _updated = NewCompletion();

    public BucketReduction(int index, int offset, int length, int worldSize, AdamOptions optimizer, long firstStep, ShardUpdate update = ShardUpdate.Adam)
    {
        _index = index;
        Offset = offset;
        Length = length;
        _worldSize = worldSize;
        _adam = update == ShardUpdate.Adam ? new Adam(length, optimizer) : null;
        _arrived = new float[worldSize][];
        Step = firstStep;
    }

    /// <summary>First element of the bucket within the shard's slice.</summary>
    public int Offset { get; }

    /// <summary>Elements in the bucket.</summary>
    public int Length { get; }

    /// <summary>The step whose gradients are being collected.</summary>
    public long Step { get; private set; }

    /// <summary>Whether some rank's gradients for <see cref="Step"/> wait for the others.</summary>
    public bool HasWaiters => _summed > 0 || _arrived.Any(a => a is not null);

    /// <summary>Ranks whose gradients for <see cref="Step"/> have not arrived.</summary>
    public IEnumerable<int> MissingRanks => Enumerable.Range(0, _worldSize).Where(r => r >= _summed && _arrived[r] is null);

    /// <summary>
    /// Adds rank <paramref name="rank"/>'s gradients for <paramref name="step"/> (the array is taken over, not copied);
    /// the task completes when all W have arrived and <paramref name="slice"/> is updated.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stale or future step, a duplicate rank, or the wrong length.</exception>
    public Task<float[]> Add(long step, int rank, float[] gradients, float[] slice)
    {
        if (step != Step)
        {
            throw new InvalidOperationException($"bucket {_index} is collecting step {Step}; rank {rank} sent step {step}");
        }

        if (gradients.Length != Length)
        {
            throw new InvalidOperationException($"bucket {_index} has {Length} elements; rank {rank} sent {gradients.Length}");
        }

        if (rank < _summed || _arrived[rank] is not null)
        {
            throw new InvalidOperationException($"rank {rank} sent bucket {_index} of step {step} twice");
        }

        var result = _updated.Task;
        _arrived[rank] = gradients;
        while (_summed < _worldSize && _arrived[_summed] is { } next)
        {
            if (_sum is null)
            {
                _sum = next; // rank 0's array becomes the accumulator: no copy
            }
            else
            {
                TensorPrimitives.Add(_sum, next, _sum);
            }

            _arrived[_summed++] = null;
        }

        if (_summed == _worldSize)
        {
            var parameters = slice.AsSpan(Offset, Length);
            var sum = _sum!;
            var completed = _updated;
            Reset();
            Step++;
            if (_adam is null)
            {
                // The sum itself is the answer: the accumulator belongs to no rank any more, so no copy is needed. It is
                // never changed again, which lets the W replies be sent from it ([ResultByReference] on PushGradients).
                sum.CopyTo(parameters);
                completed.SetResult(sum);
            }
            else
            {
                TensorPrimitives.Divide(sum, _worldSize, sum);
                _adam.Step(parameters, sum);

                // A copy: the W replies are sent from it after this turn, and the next step updates the slice in place.
                completed.SetResult(parameters.ToArray());
            }
        }

        return result;
    }

    // Checkpoints carry Adam's state; a summing bucket (ShardUpdate.Sum) has none to save or load.
    private Adam OptimizerState => _adam ?? throw new InvalidOperationException("this bucket sums gradients (ShardUpdate.Sum) and has no optimizer state");

    /// <summary>Adam's step count t of this bucket.</summary>
    public long AdamSteps => _adam?.StepCount ?? 0;

    /// <summary>Copies Adam's m and v of this bucket into the slice-wide vectors at <see cref="Offset"/>.</summary>
    public void CopyOptimizerState(Span<float> expAvg, Span<float> expAvgSq)
    {
        OptimizerState.ExpAvg.CopyTo(expAvg.Slice(Offset, Length));
        OptimizerState.ExpAvgSq.CopyTo(expAvgSq.Slice(Offset, Length));
    }

    /// <summary>Loads Adam's state from slice-wide vectors (a checkpoint); the bucket must have no waiters.</summary>
    public void LoadOptimizerState(long adamSteps, ReadOnlySpan<float> expAvg, ReadOnlySpan<float> expAvgSq) =>
        OptimizerState.LoadState(adamSteps, expAvg.Slice(Offset, Length), expAvgSq.Slice(Offset, Length));

    /// <summary>Fails the ranks waiting on the current step and forgets its partial sum; the step stays the same.</summary>
    public void Abort(Exception reason)
    {
        if (!HasWaiters)
        {
            return; // nobody waits
        }

        var aborted = _updated;
        Reset();
        aborted.TrySetException(reason);
    }

    private void Reset()
    {
        Array.Clear(_arrived);
        _sum = null;
        _summed = 0;
        _updated = NewCompletion();
    }

    private static TaskCompletionSource<float[]> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
