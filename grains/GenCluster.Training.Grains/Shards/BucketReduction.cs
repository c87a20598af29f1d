using System.Numerics.Tensors;
using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Training.Optim;

namespace GenCluster.Training.Grains.Shards;

/// <summary>
/// One bucket of a shard across steps: collects the W ranks' gradients for the current step, sums them in rank order
/// as soon as they arrive contiguously from rank 0 (so the sum does not depend on arrival order, and matches one
/// worker accumulating micro-batches 0..W−1), divides by W, runs Adam on the bucket's parameters and completes every
/// rank's wait with the new values. In <see cref="ShardUpdate.Sum"/> mode it answers the plain sum instead (an
/// all-reduce) and keeps it only in its answer buffer: copying each sum into the slice as well would add a pass over
/// the bucket's bytes to every all-reduce, for a value that is read only by <see cref="CopyValues"/>.
/// </summary>
/// <remarks>
/// The gradients are tensor views over the received frames (no copy into arrays): a rank's view stays readable while
/// its push waits here, and every push waits until the bucket is complete, so the sum is taken straight from the W
/// frames into a buffer of the bucket's own. The answer goes out from one of two answer buffers, alternating by step:
/// while step s's replies may still be on their way, step s + 1 fills the other one, and step s + 2 can start only once
/// every rank has pushed step s + 1, which it does only after it has received step s's answer.
/// </remarks>
internal sealed class BucketReduction
{
    private readonly int _index;
    private readonly int _worldSize;
    private readonly Adam? _adam;
    private readonly TensorView<float>[] _arrived;
    private readonly float[]?[] _answers = new float[2][];
    private float[]? _accumulator;

    // The last completed step's answer: in sum mode the bucket's current values (the slice keeps the initial ones).
    private float[]? _latest;
    private int _summed;
    private TaskCompletionSource<TensorView<float>> _updated = NewCompletion();

    public BucketReduction(int index, int offset, int length, int worldSize, AdamOptions optimizer, long firstStep, ShardUpdate update = ShardUpdate.Adam)
    {
        _index = index;
        Offset = offset;
        Length = length;
        _worldSize = worldSize;
        _adam = update == ShardUpdate.Adam ? new Adam(length, optimizer) : null;
        _arrived = new TensorView<float>[worldSize];
        Step = firstStep;
    }

    /// <summary>First element of the bucket within the shard's slice.</summary>
    public int Offset { get; }

    /// <summary>Elements in the bucket.</summary>
    public int Length { get; }

    /// <summary>The step whose gradients are being collected.</summary>
    public long Step { get; private set; }

    /// <summary>Whether some rank's gradients for <see cref="Step"/> wait for the others.</summary>
    public bool HasWaiters => _summed > 0 || _arrived.Any(a => !a.IsDefault);

    /// <summary>Ranks whose gradients for <see cref="Step"/> have not arrived.</summary>
    public IEnumerable<int> MissingRanks => Enumerable.Range(0, _worldSize).Where(r => r >= _summed && _arrived[r].IsDefault);

    /// <summary>
    /// Adds rank <paramref name="rank"/>'s gradients for <paramref name="step"/>, read in place: the view must stay
    /// readable until the returned task completes (a push's argument does, because the push waits for it). The task
    /// completes when all W have arrived and the bucket is updated (in Adam mode, <paramref name="slice"/>), with the
    /// bucket's new values.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stale or future step, a duplicate rank, or the wrong length.</exception>
    public Task<TensorView<float>> Add(long step, int rank, TensorView<float> gradients, float[] slice)
    {
        if (step != Step)
        {
            throw new InvalidOperationException($"bucket {_index} is collecting step {Step}; rank {rank} sent step {step}");
        }

        if (gradients.IsDefault || gradients.Length != Length || gradients.Shape.Length != 1)
        {
            throw new InvalidOperationException($"bucket {_index} has {Length} elements; rank {rank} sent {(gradients.IsDefault ? "none" : gradients.Length)} (shape [{string.Join(", ", gradients.Shape.ToArray())}])");
        }

        if (rank < _summed || !_arrived[rank].IsDefault)
        {
            throw new InvalidOperationException($"rank {rank} sent bucket {_index} of step {step} twice");
        }

        var result = _updated.Task;
        _arrived[rank] = gradients;
        var answer = _answers[Step & 1] ??= new float[Length];
        var sum = _adam is null ? answer : _accumulator ??= new float[Length];
        if (_summed == 0 && !_arrived[0].IsDefault && (_worldSize == 1 || !_arrived[1].IsDefault))
        {
            // Ranks 0 and 1 are summed in one pass (a + b → sum), so no rank's bytes are copied on their own.
            if (_worldSize == 1)
            {
                _arrived[0].Span.CopyTo(sum);
            }
            else
            {
                TensorPrimitives.Add(_arrived[0].Span, _arrived[1].Span, sum);
            }

            _summed = Math.Min(2, _worldSize);
        }

        while (_summed >= 2 && _summed < _worldSize && !_arrived[_summed].IsDefault)
        {
            TensorPrimitives.Add(sum, _arrived[_summed].Span, sum);
            _summed++;
        }

        if (_summed == _worldSize)
        {
            var parameters = slice.AsSpan(Offset, Length);
            _latest = answer;
            var completed = _updated;
            Reset();
            Step++;
            if (_adam is not null)
            {
                TensorPrimitives.Divide(sum, _worldSize, sum);
                _adam.Step(parameters, sum);

                // The next step updates the slice in place while this answer may still be sent from its buffer.
                parameters.CopyTo(answer);
            }

            // The W replies are sent from the answer buffer without copies ([ResultByReference] on PushGradients).
            completed.SetResult(TensorView.Of(answer));
        }

        return result;
    }

    /// <summary>
    /// Copies the bucket's current values into <paramref name="destination"/> at <see cref="Offset"/>: the slice's in
    /// Adam mode, the last sum in sum mode (the slice's initial values before the first step).
    /// </summary>
    public void CopyValues(ReadOnlySpan<float> slice, Span<float> destination)
    {
        var values = _adam is null && _latest is not null ? _latest : slice.Slice(Offset, Length);
        values.CopyTo(destination.Slice(Offset, Length));
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
        // The views are dropped here: their pushes complete (or fail) right after, which ends them.
        Array.Clear(_arrived);
        _summed = 0;
        _updated = NewCompletion();
    }

    private static TaskCompletionSource<TensorView<float>> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
