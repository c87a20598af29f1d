using System.Diagnostics;
using System.Threading.Channels;
using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Torch;
using GenCluster.Training.Grains.Data;
using GenCluster.Training.Grains.Devices;
using GenCluster.Training.Grains.Hosting;
using GenCluster.Training.Grains.Sharding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Workers;

/// <summary>
/// One data-parallel rank, pinned to the silo its key names. A step: D's backward on the device, D's buckets out to
/// their shards as soon as backward has finished their gradients (while it computes the earlier layers'), new D slices
/// written back as each shard answers once backward is over; then the same for G, whose backward must see D's new weights.
/// </summary>
[Placement(PlacementKind.Pinned)]
internal sealed partial class GpuWorkerGrain(
    DeviceComputeThreads devices, TrainingDatasets datasets, IOptions<TrainingGrainOptions> options, ILogger<GpuWorkerGrain> logger)
    : Grain, IGpuWorkerGrain
{
    private readonly int _bucketsInFlight = Math.Max(1, options.Value.BucketsInFlight);
    private readonly bool _sendDuringBackward = options.Value.SendBucketsDuringBackward;
    private readonly bool _realHalfAheadEnabled = options.Value.RunRealHalfAhead;
    private readonly string _activationId = Guid.NewGuid().ToString("N");
    private readonly GradientPayloads _gradientPayloads = new();
    private WorkerAssignment? _assignment;
    private DeviceComputeThread? _device;
    private WorkerReplica? _replica;
    private Dictionary<ModelRole, ShardLayout> _layouts = [];
    private Dictionary<ModelRole, IReadOnlyList<ParameterSlot>> _parameterLayouts = [];
    // The next step's real half, queued on the device while this step's G buckets are on the wire.
    private (long Step, Task<TimeSpan> Pass)? _realHalfAhead;

    private TrainingPlan Plan => _assignment?.Plan ?? throw new InvalidOperationException($"worker {GetPrimaryKeyString()} is not initialized");

    public async Task<WorkerReady> Initialize(WorkerAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        assignment.Plan.ThrowIfInvalid();
        if ((uint)assignment.Rank >= (uint)assignment.Plan.WorldSize)
        {
            throw new ArgumentException($"rank {assignment.Rank} is outside the world of {assignment.Plan.WorldSize}");
        }

        var address = DeviceAddress.Parse(assignment.Plan.Devices[assignment.Rank]);
        var expectedKey = TrainingKeys.Worker(address, assignment.ExperimentId, assignment.Rank);
        if (expectedKey != GetPrimaryKeyString())
        {
            throw new ArgumentException($"worker {GetPrimaryKeyString()} was assigned rank {assignment.Rank} of {assignment.ExperimentId}, whose key is {expectedKey}");
        }

        if (_replica is not null)
        {
            // The key names experiment and rank, so a repeated call (a retried setup) can only mean the same assignment.
            return Ready();
        }

        if (address.Device.StartsWith("cuda", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"rank {assignment.Rank}: CUDA workers need modules that move to a device (Module.to) in the torch binding; only cpu:N devices train today");
        }

        var device = devices.Get(address.Device);
        var data = await datasets.GetAsync(assignment.Plan.Dataset, assignment.Plan.DatasetSplit);
        var replica = await device.RunAsync(() => new WorkerReplica(assignment.Plan, assignment.Rank, data), assignment.Plan.ThreadsPerWorker);
        (_assignment, _device, _replica) = (assignment, device, replica);
        _layouts = new()
        {
            [ModelRole.Generator] = ShardLayout.Create(replica.ParameterCount(ModelRole.Generator), Plan.GeneratorShards, Plan.BucketElements),
            [ModelRole.Discriminator] = ShardLayout.Create(replica.ParameterCount(ModelRole.Discriminator), Plan.DiscriminatorShards, Plan.BucketElements),
        };
        _parameterLayouts = new()
        {
            [ModelRole.Generator] = replica.ParameterLayout(ModelRole.Generator),
            [ModelRole.Discriminator] = replica.ParameterLayout(ModelRole.Discriminator),
        };
        LogInitialized(logger, GetPrimaryKeyString(), assignment.Rank, _layouts[ModelRole.Generator].Parameters, _layouts[ModelRole.Discriminator].Parameters);
        return Ready();
    }

    public async Task SeedShards()
    {
        var assigned = _assignment ?? throw NotInitialized();
        var experiment = assigned.ExperimentId;
        foreach (var role in _layouts.Keys)
        {
            // The shards this rank owns; the first call activates each on this silo (prefer-local placement).
            var owned = _layouts[role].Shards.Where(s => s.Shard % Plan.WorldSize == assigned.Rank);
            await Task.WhenAll(owned.Select(async slice =>
            {
                var values = await Compute(r => r.CopyParameters(role, slice.Offset, slice.Length));
                var assignment = new ShardAssignment(experiment, role, slice.Shard, slice.Offset, slice.Length,
                    [.. slice.Buckets.Select(b => b.Length)], Plan.WorldSize, Plan.OptimizerOf(role), FirstStep: 0);
                await Shard(role, slice.Shard).Initialize(assignment, values);
            }));
        }
    }

    public async Task PullParameters()
    {
        // New parameters make a real half run ahead stale (the replica discards it when D's are written).
        _realHalfAhead = null;
        foreach (var role in _layouts.Keys)
        {
            await Task.WhenAll(_layouts[role].Shards.Select(async slice =>
            {
                var values = await Shard(role, slice.Shard).GetParameters();
                if (values.Length != slice.Length)
                {
                    throw new InvalidOperationException($"shard {ShardKey(role, slice.Shard)} returned {values.Length} parameters, expected {slice.Length}");
                }

                await Compute(r => r.WriteParameters(role, slice.Offset, values));
            }));
        }
    }

    public async Task<WorkerStepReport> RunStep(long step)
    {
        var traffic = new StepTraffic();
        // A real half run ahead for another step is discarded and redone by the replica.
        var ahead = _realHalfAhead;
        _realHalfAhead = null;
        var d = await BackwardAndReduce(ModelRole.Discriminator, step, traffic, ready => Compute(r => r.DiscriminatorBackward(step, ready)));
        if (ahead is { } prepared && prepared.Step == step && await Succeeded(prepared.Pass) is { } aheadTime)
        {
            traffic.Computing += aheadTime;
        }

        // G's backward reads D's new weights: it starts only once every D bucket is written back. While G's buckets are
        // on the wire the device would idle, so it runs the next step's real half, which needs only D's new weights.
        var g = await BackwardAndReduce(ModelRole.Generator, step, traffic, ready => Compute(r => r.GeneratorBackward(ready)),
            afterBackward: () => RunRealHalfAhead(step + 1));
        return new WorkerStepReport(step, _assignment!.Rank, d.Loss, g.Loss, d.RealScore, d.FakeScore, g.FakeScore,
            traffic.Computing.TotalSeconds, traffic.Waiting.TotalSeconds, traffic.BytesSent, traffic.BytesReceived);
    }

    public Task<float[]> GetRunningStatistics(ModelRole role) => _replica is null
        ? throw NotInitialized()
        : Compute(r => r.CopyRunningStatistics(role));

    public Task<GrainHealth> Ping() => Task.FromResult(new GrainHealth(GrainContext.SiloName, _activationId, _replica is not null));

    public async Task Release()
    {
        await DisposeReplicaAsync();
        DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => DisposeReplicaAsync();

    /// <summary>
    /// One model's backward on the device with its reduce-scatter and all-gather running alongside: autograd's hooks
    /// report each parameter whose gradient is final, and a bucket whose parameters all are leaves for its shard while
    /// backward goes on with earlier layers. Computing is the backward's time; waiting, from its end until the model's
    /// last bucket is written back.
    /// </summary>
    private async Task<T> BackwardAndReduce<T>(ModelRole role, long step, StepTraffic traffic, Func<Action<int>?, Task<T>> backward, Action? afterBackward = null)
    {
        var readiness = new BucketReadiness(_parameterLayouts[role], _layouts[role].Buckets);
        var clock = Stopwatch.StartNew();
        var pass = backward(_sendDuringBackward ? readiness.ParameterReady : null);
        // The pass's end releases the buckets no hook did (or ends the reduce loop with the pass's error). The hooks all
        // ran on the compute thread before the pass's task completed, so this never races them.
        var passEnded = pass.ContinueWith(
            t => readiness.Complete(t.IsCompletedSuccessfully ? null : t.Exception?.InnerException ?? new OperationCanceledException("the backward pass was cancelled")),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var reduce = ReduceScatterAllGather(role, step, traffic, readiness.Ready, pass);
        T result;
        try
        {
            result = await pass;
        }
        catch
        {
            // The reduce loop ends with the same error; its pushes are aborted by the coordinator.
            _ = reduce.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }

        var computed = clock.Elapsed;
        afterBackward?.Invoke();
        await passEnded;
        await reduce;
        traffic.Computing += computed;
        traffic.Waiting += clock.Elapsed - computed;
        return result;
    }

    /// <summary>
    /// Reduce-scatter then all-gather of one model: each bucket goes to its shard as soon as its gradients are final
    /// (in the order backward finishes them) and it is copied out of the gradient buffer, at most
    /// <see cref="TrainingGrainOptions.BucketsInFlight"/> at a time; each shard's answer is written back once the
    /// backward <paramref name="pass"/> has ended (it still reads the weights). The first failure stops the sending and
    /// ends the wait: the coordinator aborts the shards, so nothing stays pending.
    /// </summary>
    private async Task ReduceScatterAllGather(ModelRole role, long step, StepTraffic traffic, ChannelReader<BucketSlice> ready, Task pass)
    {
        var experiment = _assignment!.ExperimentId;
        var rank = _assignment.Rank;
        var replica = _replica ?? throw NotInitialized();
        var pushes = new List<Task>();
        // Not disposed: a failed step returns while later pushes may still release the window or cancel.
        var window = new SemaphoreSlim(_bucketsInFlight);
        var failed = new CancellationTokenSource();
        try
        {
            await foreach (var bucket in ready.ReadAllAsync(CancellationToken.None))
            {
                try
                {
                    await window.WaitAsync(failed.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // a push failed; the wait below reports it
                }

                // Here, not on the compute thread, which may still be in backward: the bucket's gradients are final.
                var gradients = _gradientPayloads.Rent(role, bucket);
                replica.CopyGradients(role, bucket.Offset, gradients);
                traffic.BytesSent += (long)gradients.Length * sizeof(float);
                pushes.Add(WithinWindow(PushAndApply(new GradientBucket(experiment, role, step, bucket.Bucket, bucket.Shard, rank, gradients), gradients, bucket, traffic, pass), window, failed));
            }
        }
        catch
        {
            // Backward failed: the pushes already out are aborted by the coordinator; observe their failures.
            foreach (var push in pushes)
            {
                _ = push.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }

            throw;
        }

        await WhenAllOrFirstFailure(pushes);
    }

    /// <summary>Queues the real half of <paramref name="step"/> on the device, unless the plan ends before it.</summary>
    private void RunRealHalfAhead(long step)
    {
        if (_realHalfAheadEnabled && step < Plan.Steps)
        {
            var pass = Compute(r => r.RunRealHalfAhead(step));
            // A later call may drop it unawaited (a failed step, new parameters); its failure is then redone, not lost.
            _ = pass.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            _realHalfAhead = (step, pass);
        }
    }

    /// <summary>The task's result, or null when it failed (the step that needs it runs the work again and reports that failure).</summary>
    private static async Task<TimeSpan?> Succeeded(Task<TimeSpan> task)
    {
        try
        {
            return await task;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static async Task WithinWindow(Task push, SemaphoreSlim window, CancellationTokenSource failed)
    {
        try
        {
            await push;
        }
        catch
        {
            failed.Cancel();
            throw;
        }
        finally
        {
            window.Release();
        }
    }

    private async Task PushAndApply(GradientBucket gradients, float[] payload, BucketSlice bucket, StepTraffic traffic, Task pass)
    {
        // A view over the reply frame, written straight into the parameter buffer, then given back (no array in between).
        TensorView<float> updated;
        try
        {
            updated = await Shard(gradients.Role, bucket.Shard).PushGradients(gradients);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"rank {gradients.Rank}: {gradients.Role} bucket {bucket.Bucket} of shard {ShardKey(gradients.Role, bucket.Shard)}, step {gradients.Step}: {e.Message}", e);
        }

        _gradientPayloads.Return(gradients.Role, bucket, payload);

        using (updated)
        {
            if (updated.Length != bucket.Length)
            {
                throw new InvalidOperationException($"shard {ShardKey(gradients.Role, bucket.Shard)} answered bucket {bucket.Bucket} with {updated.Length} parameters, expected {bucket.Length}");
            }

            traffic.BytesReceived += (long)updated.Length * sizeof(float);
            // Backward may still be running (this bucket left early); its parameters are read until it ends. The view
            // keeps its reply frame until then.
            await pass;
            await Compute(r => r.WriteParameters(gradients.Role, bucket.Offset, updated.Span));
        }
    }

    private static async Task WhenAllOrFirstFailure(List<Task> tasks)
    {
        var pending = new List<Task>(tasks);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            if (done.IsFaulted || done.IsCanceled)
            {
                foreach (var other in pending.Where(t => t != done))
                {
                    // Observed so their later failures (aborted by the coordinator) are not reported as unobserved.
                    _ = other.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                }

                await done;
            }

            pending.Remove(done);
        }
    }

    private Task<T> Compute<T>(Func<WorkerReplica, T> work)
    {
        var replica = _replica ?? throw NotInitialized();
        return _device!.RunAsync(() => work(replica), Plan.ThreadsPerWorker);
    }

    private Task Compute(Action<WorkerReplica> work)
    {
        var replica = _replica ?? throw NotInitialized();
        return _device!.RunAsync(() => work(replica), Plan.ThreadsPerWorker);
    }

    private async Task DisposeReplicaAsync()
    {
        if (_replica is { } replica && _device is { } device)
        {
            _replica = null;
            await device.RunAsync(replica.Dispose, 1);
        }
    }

    private IParameterShardGrain Shard(ModelRole role, int index) => GrainFactory.GetGrain<IParameterShardGrain>(ShardKey(role, index));

    private string ShardKey(ModelRole role, int index) => TrainingKeys.Shard(_assignment!.ExperimentId, role, index);

    private WorkerReady Ready() => new(_assignment!.Rank, GrainContext.SiloName, _device!.Device,
        _layouts[ModelRole.Generator].Parameters, _layouts[ModelRole.Discriminator].Parameters);

    private InvalidOperationException NotInitialized() => new($"worker {GetPrimaryKeyString()} is not initialized");

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} (rank {Rank}) ready: G has {GeneratorParameters} parameters, D {DiscriminatorParameters}")]
    private static partial void LogInitialized(ILogger logger, string worker, int rank, long generatorParameters, long discriminatorParameters);

    /// <summary>What one step moved, how long it computed and how long it waited for the shards after computing.</summary>
    private sealed class StepTraffic
    {
        public long BytesSent { get; set; }

        public long BytesReceived { get; set; }

        public TimeSpan Computing { get; set; }

        public TimeSpan Waiting { get; set; }
    }
}
