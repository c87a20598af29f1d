using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Training.Grains.Data;
using GenCluster.Training.Grains.Devices;
using GenCluster.Training.Grains.Hosting;
using GenCluster.Training.Grains.Sharding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Workers;

/// <summary>
/// One data-parallel rank, pinned to the silo its key names. A step: D's backward on the device, D's buckets out to
/// their shards as each is copied, new D slices written back as each shard answers; then the same for G, whose
/// backward must see D's new weights.
/// </summary>
[Placement(PlacementKind.Pinned)]
internal sealed partial class GpuWorkerGrain(
    DeviceComputeThreads devices, TrainingDatasets datasets, IOptions<TrainingGrainOptions> options, ILogger<GpuWorkerGrain> logger)
    : Grain, IGpuWorkerGrain
{
    private readonly int _bucketsInFlight = Math.Max(1, options.Value.BucketsInFlight);
    private readonly string _activationId = Guid.NewGuid().ToString("N");
    private WorkerAssignment? _assignment;
    private DeviceComputeThread? _device;
    private WorkerReplica? _replica;
    private Dictionary<ModelRole, ShardLayout> _layouts = [];

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
        var compute = Stopwatch.StartNew();
        var d = await Compute(r => r.DiscriminatorBackward(step));
        compute.Stop();
        await ReduceScatterAllGather(ModelRole.Discriminator, step, traffic);

        compute.Start();
        var g = await Compute(r => r.GeneratorBackward());
        compute.Stop();
        await ReduceScatterAllGather(ModelRole.Generator, step, traffic);

        return new WorkerStepReport(step, _assignment!.Rank, d.Loss, g.Loss, d.RealScore, d.FakeScore, g.FakeScore,
            compute.Elapsed.TotalSeconds, traffic.Waiting.TotalSeconds, traffic.BytesSent, traffic.BytesReceived);
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
    /// Reduce-scatter then all-gather of one model: each bucket goes to its shard as soon as it is copied out of the
    /// gradient buffer (the copy of the next overlaps the send of this one), at most
    /// <see cref="TrainingGrainOptions.BucketsInFlight"/> at a time, and each shard's answer is written back as it
    /// arrives. The first failure stops the sending and ends the wait: the coordinator aborts the shards, so nothing
    /// stays pending.
    /// </summary>
    private async Task ReduceScatterAllGather(ModelRole role, long step, StepTraffic traffic)
    {
        var experiment = _assignment!.ExperimentId;
        var rank = _assignment.Rank;
        var pushes = new List<Task>();
        // Not disposed: a failed step returns while later pushes may still release the window or cancel.
        var window = new SemaphoreSlim(_bucketsInFlight);
        var failed = new CancellationTokenSource();
        var waiting = new Stopwatch();
        foreach (var bucket in _layouts[role].Buckets)
        {
            waiting.Start();
            try
            {
                await window.WaitAsync(failed.Token);
            }
            catch (OperationCanceledException)
            {
                break; // a push failed; the wait below reports it
            }
            finally
            {
                waiting.Stop();
            }

            var gradients = await Compute(r => r.CopyGradients(role, bucket.Offset, bucket.Length));
            traffic.BytesSent += (long)gradients.Length * sizeof(float);
            pushes.Add(WithinWindow(PushAndApply(new GradientBucket(experiment, role, step, bucket.Bucket, bucket.Shard, rank, gradients), bucket, traffic), window, failed));
        }

        waiting.Start();
        await WhenAllOrFirstFailure(pushes);
        traffic.Waiting += waiting.Elapsed;
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

    private async Task PushAndApply(GradientBucket gradients, BucketSlice bucket, StepTraffic traffic)
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

        using (updated)
        {
            if (updated.Length != bucket.Length)
            {
                throw new InvalidOperationException($"shard {ShardKey(gradients.Role, bucket.Shard)} answered bucket {bucket.Bucket} with {updated.Length} parameters, expected {bucket.Length}");
            }

            traffic.BytesReceived += (long)updated.Length * sizeof(float);
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

    /// <summary>What one step moved and how long it waited for the shards.</summary>
    private sealed class StepTraffic
    {
        public long BytesSent { get; set; }

        public long BytesReceived { get; set; }

        public TimeSpan Waiting { get; set; }
    }
}
