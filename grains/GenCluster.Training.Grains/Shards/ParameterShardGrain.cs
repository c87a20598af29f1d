using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Training.Grains.Checkpoints;
using GenCluster.Training.Optim;
using Microsoft.Extensions.Logging;

namespace GenCluster.Training.Grains.Shards;

/// <summary>
/// Owns one slice of one model's flat parameters and its Adam state. Reentrant: the W pushes of a step wait in the
/// shard at the same time, and each bucket is updated and answered as soon as its last rank arrives. Placed on the
/// silo of the rank that initializes it (its owner), so one silo's ranks reach it without a socket.
/// </summary>
/// <remarks>
/// The slice lives in memory: a shard whose silo dies loses it. With checkpoints the shard writes its slice with
/// Adam's state (<see cref="WriteCheckpoint"/>) and the coordinator restores every shard from the newest valid one.
/// </remarks>
[Reentrant]
[Placement(PlacementKind.PreferLocal)]
internal sealed partial class ParameterShardGrain(CheckpointStore checkpoints, ILogger<ParameterShardGrain> logger) : Grain, IParameterShardGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");
    private ShardAssignment? _assignment;
    private float[] _parameters = [];
    private BucketReduction[] _buckets = [];

    public Task<GrainHealth> Initialize(ShardAssignment assignment, float[] parameters)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(parameters);
        var expectedKey = TrainingKeys.Shard(assignment.ExperimentId, assignment.Role, assignment.Shard);
        if (expectedKey != GetPrimaryKeyString())
        {
            throw new ArgumentException($"shard {GetPrimaryKeyString()} was assigned {expectedKey}");
        }

        // A setup retried after a lost silo seeds again the shards that survived; before any step that is harmless
        // (every rank builds the same seeded models). Afterwards it would discard training, so it is refused.
        if (_assignment is not null && (assignment.FirstStep != 0 || _buckets.Any(b => b.Step != 0 || b.HasWaiters)))
        {
            throw new InvalidOperationException($"shard {GetPrimaryKeyString()} is already initialized");
        }

        if (assignment.Length <= 0 || parameters.Length != assignment.Length)
        {
            throw new ArgumentException($"shard {expectedKey} owns {assignment.Length} parameters but received {parameters.Length}");
        }

        if (assignment.BucketLengths.Length == 0 || assignment.BucketLengths.Any(l => l <= 0) || assignment.BucketLengths.Sum(l => (long)l) != assignment.Length)
        {
            throw new ArgumentException($"shard {expectedKey}: bucket lengths [{string.Join(", ", assignment.BucketLengths)}] do not cut {assignment.Length} elements");
        }

        if (!Enum.IsDefined(assignment.Update))
        {
            throw new ArgumentException($"shard {expectedKey}: unknown update mode {assignment.Update}");
        }

        if (assignment.WorldSize < 1)
        {
            throw new ArgumentException($"shard {expectedKey}: world size {assignment.WorldSize} is not positive");
        }

        (_assignment, _parameters, _buckets) = (assignment, parameters, CreateBuckets(assignment));
        LogInitialized(logger, expectedKey, assignment.Offset, assignment.Length, _buckets.Length);
        return Ping();
    }

    public Task<TensorView<float>> PushGradients(GradientBucket bucket, TensorDestination<float> answer = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var assignment = _assignment ?? throw new InvalidOperationException(
            $"shard {GetPrimaryKeyString()} on silo '{GrainContext.SiloName}' holds no parameters (never initialized, or re-activated after its silo was lost)");
        if (bucket.ExperimentId != assignment.ExperimentId || bucket.Role != assignment.Role || bucket.Shard != assignment.Shard)
        {
            throw new InvalidOperationException(
                $"shard {GetPrimaryKeyString()} got a bucket addressed to {TrainingKeys.Shard(bucket.ExperimentId, bucket.Role, bucket.Shard)}");
        }

        if ((uint)bucket.Bucket >= (uint)_buckets.Length || (uint)bucket.Rank >= (uint)assignment.WorldSize)
        {
            throw new InvalidOperationException(
                $"shard {GetPrimaryKeyString()} has buckets 0..{_buckets.Length - 1} and ranks 0..{assignment.WorldSize - 1}; got bucket {bucket.Bucket} from rank {bucket.Rank}");
        }

        return _buckets[bucket.Bucket].Add(bucket.Step, bucket.Rank, bucket.Gradients, _parameters);
    }

    public Task<float[]> GetParameters()
    {
        if (_assignment is null)
        {
            throw new InvalidOperationException($"shard {GetPrimaryKeyString()} holds no parameters");
        }

        var values = new float[_parameters.Length];
        foreach (var bucket in _buckets)
        {
            bucket.CopyValues(_parameters, values);
        }

        return Task.FromResult(values);
    }

    public Task AbortStep(string reason)
    {
        var waiting = _buckets.Where(b => b.HasWaiters).ToList();
        if (waiting.Count > 0)
        {
            LogAborting(logger, GetPrimaryKeyString(), waiting[0].Step, waiting.Count, string.Join(", ", waiting.SelectMany(b => b.MissingRanks).Distinct().Order()));
        }

        foreach (var bucket in waiting)
        {
            bucket.Abort(new InvalidOperationException($"step aborted by the coordinator: {reason}"));
        }

        return Task.CompletedTask;
    }

    public async Task<CheckpointObject> WriteCheckpoint(string objectName, long step)
    {
        var assignment = _assignment ?? throw new InvalidOperationException($"shard {GetPrimaryKeyString()} holds no parameters to checkpoint");
        if (_buckets.Any(b => b.Step != step || b.HasWaiters))
        {
            throw new InvalidOperationException(
                $"shard {GetPrimaryKeyString()} is not between steps at step {step} (buckets at steps {string.Join(", ", _buckets.Select(b => b.Step).Distinct())})");
        }

        var adamSteps = _buckets.Select(b => b.AdamSteps).Distinct().ToList();
        if (adamSteps.Count != 1)
        {
            throw new InvalidOperationException($"shard {GetPrimaryKeyString()}: its buckets disagree on Adam's step count ({string.Join(", ", adamSteps)})");
        }

        // The bytes are taken in this turn, before any await: the next step's pushes may update the slice meanwhile.
        // (The slice is the value only in Adam mode; a sum-mode bucket has already refused to copy optimizer state.)
        var expAvg = new float[assignment.Length];
        var expAvgSq = new float[assignment.Length];
        foreach (var bucket in _buckets)
        {
            bucket.CopyOptimizerState(expAvg, expAvgSq);
        }

        var header = new ShardCheckpointHeader(assignment.ExperimentId, CheckpointNames.ModelLetter(assignment.Role), assignment.Shard,
            assignment.Offset, assignment.Length, step, adamSteps[0]);
        var bytes = ShardCheckpointFormat.Encode(header, _parameters, expAvg, expAvgSq);
        var written = await checkpoints.WriteShardAsync(objectName, assignment.Role, assignment.Shard, assignment.Offset, assignment.Length, bytes, CancellationToken.None);
        LogCheckpointWritten(logger, GetPrimaryKeyString(), step, objectName, bytes.Length);
        return written;
    }

    public async Task<GrainHealth> Restore(ShardAssignment assignment, CheckpointObject checkpoint)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var expectedKey = TrainingKeys.Shard(assignment.ExperimentId, assignment.Role, assignment.Shard);
        if (expectedKey != GetPrimaryKeyString() || checkpoint.Role != assignment.Role || checkpoint.Shard != assignment.Shard
            || checkpoint.Offset != assignment.Offset || checkpoint.Length != assignment.Length)
        {
            throw new ArgumentException($"shard {GetPrimaryKeyString()} cannot restore {checkpoint.Name} as {expectedKey} [{assignment.Offset}, +{assignment.Length})");
        }

        if (assignment.WorldSize < 1 || assignment.BucketLengths.Length == 0 || assignment.BucketLengths.Any(l => l <= 0)
            || assignment.BucketLengths.Sum(l => (long)l) != assignment.Length)
        {
            throw new ArgumentException($"shard {expectedKey}: W={assignment.WorldSize}, bucket lengths [{string.Join(", ", assignment.BucketLengths)}] do not cut {assignment.Length} elements");
        }

        var content = await checkpoints.ReadShardAsync(checkpoint, CancellationToken.None);
        if (content.Header.Experiment != assignment.ExperimentId || content.Header.Step != assignment.FirstStep)
        {
            throw new InvalidOperationException(
                $"checkpoint object {checkpoint.Name} is {content.Header.Experiment} at step {content.Header.Step}; shard {expectedKey} restores step {assignment.FirstStep}");
        }

        var buckets = CreateBuckets(assignment);
        foreach (var bucket in buckets)
        {
            bucket.LoadOptimizerState(content.Header.AdamSteps, content.ExpAvg, content.ExpAvgSq);
        }

        // Whoever still waits in the old state waits for a step that will run again from the checkpoint.
        foreach (var old in _buckets)
        {
            old.Abort(new InvalidOperationException($"shard {expectedKey} was restored from the checkpoint at step {assignment.FirstStep}"));
        }

        (_assignment, _parameters, _buckets) = (assignment, content.Parameters, buckets);
        LogRestored(logger, expectedKey, assignment.FirstStep, checkpoint.Name);
        return await Ping();
    }

    public Task<GrainHealth> Ping() => Task.FromResult(new GrainHealth(GrainContext.SiloName, _activationId, _assignment is not null));

    private static BucketReduction[] CreateBuckets(ShardAssignment assignment)
    {
        var optimizer = new AdamOptions
        {
            LearningRate = assignment.Optimizer.LearningRate,
            Beta1 = assignment.Optimizer.Beta1,
            Beta2 = assignment.Optimizer.Beta2,
            Epsilon = assignment.Optimizer.Epsilon,
            WeightDecay = assignment.Optimizer.WeightDecay,
        };
        var buckets = new BucketReduction[assignment.BucketLengths.Length];
        for (int b = 0, offset = 0; b < buckets.Length; offset += assignment.BucketLengths[b], b++)
        {
            buckets[b] = new BucketReduction(b, offset, assignment.BucketLengths[b], assignment.WorldSize, optimizer, assignment.FirstStep, assignment.Update);
        }

        return buckets;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} wrote its slice at step {Step} as {Name} ({Bytes} bytes)")]
    private static partial void LogCheckpointWritten(ILogger logger, string shard, long step, string name, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} restored step {Step} from {Name}")]
    private static partial void LogRestored(ILogger logger, string shard, long step, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} owns [{Offset}, +{Length}) in {Buckets} buckets")]
    private static partial void LogInitialized(ILogger logger, string shard, long offset, int length, int buckets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard} aborts step {Step} in {Buckets} buckets; ranks {Missing} never sent their gradients")]
    private static partial void LogAborting(ILogger logger, string shard, long step, int buckets, string missing);
}
