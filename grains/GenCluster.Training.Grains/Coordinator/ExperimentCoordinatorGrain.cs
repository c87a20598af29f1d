using System.Diagnostics;
using System.Runtime.CompilerServices;
using GenCluster.Contracts.Training;
using GenCluster.Membership;
using GenCluster.Runtime;
using GenCluster.Training.Grains.Checkpoints;
using GenCluster.Training.Grains.Hosting;
using GenCluster.Training.Grains.Sharding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Coordinator;

/// <summary>
/// Runs one experiment: assigns ranks to devices, has rank 0 initialize the parameters once and seed the shards,
/// lets every rank pull them, then drives the steps behind a barrier that fails — naming the rank, its silo and the
/// cause — when a rank fails or the step outlives the plan's timeout. Reentrant, so status queries, cancellation
/// and watchers are served while the training loop (a one-way request to itself) runs.
/// </summary>
/// <remarks>
/// With checkpoints (<see cref="TrainingPlan.CheckpointInterval"/>) a failed step does not fail the experiment: the
/// coordinator re-forms the W ranks on the live silos' devices (several ranks may share a device), restores every
/// shard from the newest checkpoint whose objects all verify, and continues from its step. A coordinator re-activated
/// after its silo died does the same (docs/CHECKPOINTS.md).
/// </remarks>
[Reentrant]
internal sealed partial class ExperimentCoordinatorGrain(
    [PersistentState("experiment")] IPersistentState<CoordinatorState> state,
    CheckpointStore checkpoints,
    MembershipAgent membership,
    IOptions<TrainingGrainOptions> options,
    TimeProvider time,
    ILogger<ExperimentCoordinatorGrain> logger)
    : Grain, IExperimentCoordinatorGrain, IExperimentDriverGrain
{
    private readonly TrainingGrainOptions _options = options.Value;
    private readonly ExperimentEventLog _events = new(options.Value.EventHistory, time);
    private readonly CancellationTokenSource _cancelled = new();
    private readonly Dictionary<string, GrainHealth> _shards = [];
    private bool _driving;
    private bool _resumeOnDrive;
    private IGpuWorkerGrain[] _workers = [];

    private CoordinatorState S => state.State;

    private bool Checkpointing => S.Plan is { CheckpointInterval: > 0 } && checkpoints.IsConfigured;

    private string ExperimentId => GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events.ContinueAfter(S.LastSequence);
        if (S.Devices.Length == 0 && S.Plan is not null)
        {
            S.Devices = [.. S.Plan.Devices]; // state persisted before ranks could move
        }

        if (S.State is ExperimentState.Submitted or ExperimentState.Running)
        {
            // A new activation runs no loop: the one that did is gone with its silo. With checkpoints it resumes.
            if (Checkpointing)
            {
                _resumeOnDrive = true;
                _events.Append(S.State, null, $"the coordinator re-activated on silo '{GrainContext.SiloName}' after {S.CompletedSteps} steps; resuming from the newest valid checkpoint");
                _ = ResendDriveUntilStartedAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                return;
            }

            await TransitionAsync(ExperimentState.Failed,
                $"the coordinator stopped while the experiment was {S.State} after {S.CompletedSteps} steps (its silo left the cluster or failed); "
                + (S.Plan is { CheckpointInterval: > 0 }
                    ? $"it cannot resume: silo '{GrainContext.SiloName}' has no checkpoint store"
                    : "resuming needs checkpoints, which this experiment did not ask for (checkpointInterval 0)"));
        }
        else if (S.State.IsTerminal())
        {
            _events.Append(S.State, null, $"{S.State} after {S.CompletedSteps} of {S.Plan?.Steps} steps" + (S.Reason is null ? string.Empty : $": {S.Reason}"));
        }
    }

    public async Task<ExperimentStatus> Submit(TrainingPlan plan)
    {
        TrainingKeys.ValidateExperimentId(ExperimentId);
        ArgumentNullException.ThrowIfNull(plan);
        plan.ThrowIfInvalid();
        if (S.State != ExperimentState.None)
        {
            throw new InvalidOperationException($"experiment '{ExperimentId}' was already submitted ({S.State}); submit under a new id");
        }

        if (plan.CheckpointInterval > 0 && !checkpoints.IsConfigured)
        {
            throw new ArgumentException(
                $"invalid training plan:\n  checkpointInterval: {plan.CheckpointInterval}, but silo '{GrainContext.SiloName}' has no checkpoint store "
                + "(start the silos with --checkpoint-dir DIR or Checkpoints:Provider=azure), or set the interval to 0");
        }

        S.Plan = plan;
        S.Devices = [.. plan.Devices];
        S.Workers = WorkerKeys(S.Devices);
        if (plan.CheckpointInterval > 0)
        {
            await checkpoints.MarkRunningAsync(ExperimentId, CancellationToken.None);
        }

        await TransitionAsync(ExperimentState.Submitted,
            $"submitted: {plan.Model.Family.ToName()}, {plan.WorldSize} workers × batch {plan.BatchPerWorker}, {plan.Steps} steps, "
            + $"{plan.GeneratorShards}+{plan.DiscriminatorShards} shards");
        await GrainFactory.GetGrain<IExperimentDriverGrain>(ExperimentId).Drive(CancellationToken.None);
        return Status();
    }

    public Task<ExperimentStatus> GetStatus() => Task.FromResult(Status());

    // Drive is a one-way request to this grain. Right after a re-activation the request may still be routed by a
    // stale directory entry to the dead silo's activation, and a one-way call that cannot be delivered is dropped (the
    // runtime only logs it), which left a recovered experiment Running with no loop. So the request goes again every
    // RecoveryRetryDelay until Drive has started (a second Drive returns at once), for at most RecoveryTimeout.
    private async Task ResendDriveUntilStartedAsync()
    {
        var deadline = time.GetUtcNow() + _options.RecoveryTimeout;
        for (var attempt = 1; !_driving && _resumeOnDrive && time.GetUtcNow() < deadline; attempt++)
        {
            if (attempt > 1)
            {
                LogDriveResent(logger, ExperimentId, attempt);
            }

            await GrainFactory.GetGrain<IExperimentDriverGrain>(ExperimentId).Drive(CancellationToken.None);
            await Task.Delay(_options.RecoveryRetryDelay, time);
        }
    }

    public async Task<ExperimentStatus> Cancel()
    {
        if (S.State == ExperimentState.Submitted && !_driving)
        {
            await TransitionAsync(ExperimentState.Cancelled, "cancelled by a client before it started");
        }
        else if (!S.State.IsTerminal())
        {
            await _cancelled.CancelAsync();
        }

        return Status();
    }

    public async IAsyncEnumerable<ExperimentEvent> Watch(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSequence;
        while (true)
        {
            // Read before the events: a state change appends its event in the same turn, so when the state is
            // terminal here, the terminal event is in the log read next (yielding lets other turns run meanwhile).
            var next = _events.NextAppended;
            var ended = S.State.IsTerminal();
            foreach (var entry in _events.After(last))
            {
                yield return entry;
                last = entry.Sequence;
            }

            if (ended)
            {
                yield break;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    public async Task<float[]> GetParameters(ModelRole role)
    {
        var plan = S.Plan ?? throw new InvalidOperationException($"experiment '{ExperimentId}' was never submitted");
        var slices = await Task.WhenAll(Enumerable.Range(0, plan.ShardsOf(role)).Select(i => Shard(role, i).GetParameters()));
        return [.. slices.SelectMany(s => s)];
    }

    public Task<float[]> GetRunningStatistics(ModelRole role)
    {
        var statistics = role == ModelRole.Generator ? S.GeneratorStatistics : S.DiscriminatorStatistics;
        return statistics is not null
            ? Task.FromResult(statistics)
            : throw new InvalidOperationException(S.State.IsTerminal()
                ? $"experiment '{ExperimentId}' ended ({S.State}) without rank 0's running statistics: they are taken when the last step completes or a client cancels"
                : $"experiment '{ExperimentId}' is {S.State}: running statistics are taken when it ends");
    }

    public async Task Drive(CancellationToken cancellationToken)
    {
        var resume = _resumeOnDrive && S.State is ExperimentState.Submitted or ExperimentState.Running;
        if (_driving || (S.State != ExperimentState.Submitted && !resume))
        {
            return;
        }

        _driving = true;
        _resumeOnDrive = false;
        var plan = S.Plan!;
        _workers = [.. S.Workers.Select(GrainFactory.GetGrain<IGpuWorkerGrain>)];
        try
        {
            if (resume)
            {
                await RecoverAsync(plan, $"the coordinator's previous silo was lost after {S.CompletedSteps} steps", cancellationToken);
            }
            else
            {
                await SetUpWithRetriesAsync(plan, cancellationToken);
            }

            while (S.CompletedSteps < plan.Steps && !_cancelled.IsCancellationRequested)
            {
                StepProgress progress;
                try
                {
                    progress = await RunStepAsync(plan, _workers, S.CompletedSteps, cancellationToken);
                }
                catch (ExperimentFailedException e) when (Checkpointing && !cancellationToken.IsCancellationRequested)
                {
                    LogRecovering(logger, e, ExperimentId);
                    await AbortShardsAsync(plan, e.Message);
                    await RecoverAsync(plan, e.Message, cancellationToken);
                    continue;
                }

                S.CompletedSteps++;
                _events.Append(ExperimentState.Running, progress, null);
                if (Checkpointing && S.CompletedSteps % plan.CheckpointInterval == 0 && S.CompletedSteps < plan.Steps)
                {
                    await CheckpointAsync(plan, S.CompletedSteps);
                }
                else if (S.CompletedSteps % _options.PersistEverySteps == 0)
                {
                    await state.WriteStateAsync(CancellationToken.None);
                }
            }

            await CaptureRunningStatisticsAsync(_workers[0]);
            if (_cancelled.IsCancellationRequested)
            {
                await TransitionAsync(ExperimentState.Cancelled, $"cancelled by a client after {S.CompletedSteps} steps");
            }
            else
            {
                await TransitionAsync(ExperimentState.Completed, $"all {plan.Steps} steps done" + (S.Recoveries > 0 ? $" after {S.Recoveries} recoveries" : string.Empty));
            }
        }
        catch (ExperimentFailedException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, ExperimentId);
            await AbortShardsAsync(plan, e.Message);
            await TransitionAsync(ExperimentState.Failed, e.Message);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping. With checkpoints the experiment stays Running: another silo re-activates it.
            if (!Checkpointing)
            {
                await TryTransitionAsync(ExperimentState.Failed, $"the coordinator's silo stopped after {S.CompletedSteps} steps ({e.Message})");
            }
        }
        catch (Exception e)
        {
            LogFailed(logger, e, ExperimentId);
            await AbortShardsAsync(plan, e.Message);
            await TryTransitionAsync(ExperimentState.Failed, $"the coordinator failed after {S.CompletedSteps} steps: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _driving = false;
            if (!cancellationToken.IsCancellationRequested || !Checkpointing)
            {
                ReleaseWorkers(_workers);
            }
        }
    }

    /// <summary>
    /// Sets up workers and shards and, with checkpoints, writes the checkpoint of step 0. With checkpoints a setup that
    /// fails (a silo lost or declared dead meanwhile) is retried on the live devices, as a recovery.
    /// </summary>
    private async Task SetUpWithRetriesAsync(TrainingPlan plan, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await SetUpAsync(plan with { Devices = S.Devices }, _workers, cancellationToken);
                if (Checkpointing)
                {
                    // Step 0 too: a rank lost before the first interval resumes from the one initialization.
                    await CheckpointAsync(plan, 0);
                }

                return;
            }
            catch (ExperimentFailedException e) when (Checkpointing && !cancellationToken.IsCancellationRequested)
            {
                if (S.Recoveries >= _options.MaxRecoveries || time.GetElapsedTime(started) > _options.RecoveryTimeout)
                {
                    throw new ExperimentFailedException($"{e.Message}; not setting up again after {S.Recoveries} recoveries and {time.GetElapsedTime(started).TotalSeconds:0} s");
                }

                S.Recoveries++;
                LogRecovering(logger, e, ExperimentId);
                _events.Append(ExperimentState.Submitted, null, $"setting up again on the live devices ({S.Recoveries} of at most {_options.MaxRecoveries}): {e.Message}");
                await AbortShardsAsync(plan, e.Message);
                await Task.Delay(_options.RecoveryRetryDelay, time, cancellationToken);
                try
                {
                    var previous = S.Workers;
                    S.Devices = await PlaceRanksAsync(plan);
                    S.Workers = WorkerKeys(S.Devices);
                    _workers = [.. S.Workers.Select(GrainFactory.GetGrain<IGpuWorkerGrain>)];
                    ReleaseWorkers([.. previous.Except(S.Workers, StringComparer.Ordinal).Select(GrainFactory.GetGrain<IGpuWorkerGrain>)]);
                }
                catch (InvalidOperationException placement)
                {
                    // No live device yet: the next attempt fails fast and tries again.
                    LogRecoveryAttemptFailed(logger, ExperimentId, S.Recoveries, placement.Message);
                }
            }
        }
    }

    /// <summary>
    /// Writes a checkpoint of the state after <paramref name="step"/> steps: every shard writes its object (in
    /// parallel), then the manifest commits them, then older checkpoints beyond the plan's retention are deleted.
    /// A checkpoint that cannot be written is reported and skipped — the previous one stays the resume point.
    /// </summary>
    private async Task CheckpointAsync(TrainingPlan plan, long step)
    {
        var started = time.GetTimestamp();
        var attempt = Guid.NewGuid().ToString("N")[..12];
        _events.Append(ExperimentState.Running, null, $"checkpoint at step {step}: writing {plan.GeneratorShards + plan.DiscriminatorShards} shard objects to {checkpoints.Location}");
        try
        {
            var writes = Roles.SelectMany(role => Enumerable.Range(0, plan.ShardsOf(role))
                .Select(i => Shard(role, i).WriteCheckpoint(CheckpointNames.ShardObject(ExperimentId, step, attempt, role, i), step)));
            var objects = await Task.WhenAll(writes).WaitAsync(_options.SetupTimeout, time);
            if (_options.ManifestWriteDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.ManifestWriteDelay, time);
            }

            var manifest = new CheckpointManifest(1, ExperimentId, step, plan.WorldSize, plan.Seed, step, [.. S.Devices], time.GetUtcNow(),
                [.. objects.Select(CheckpointStore.ToEntry)]);
            var committed = await checkpoints.CommitManifestAsync(manifest, CancellationToken.None);
            S.LastCheckpointStep = step;
            await state.WriteStateAsync(CancellationToken.None);
            var deleted = await checkpoints.ApplyRetentionAsync(ExperimentId, plan.CheckpointsToKeep, CancellationToken.None);
            _events.Append(ExperimentState.Running, null,
                $"checkpoint at step {step}: committed {objects.Length} objects, {objects.Sum(o => o.Bytes)} bytes in {time.GetElapsedTime(started).TotalSeconds:0.###} s"
                + (committed ? string.Empty : " (an earlier attempt had committed this step; its manifest stands)")
                + (deleted > 0 ? $"; deleted {deleted} objects of older checkpoints" : string.Empty));
        }
        catch (Exception e)
        {
            LogCheckpointFailed(logger, e, ExperimentId, step);
            _events.Append(ExperimentState.Running, null, $"checkpoint at step {step}: failed, the previous checkpoint stays the resume point: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Re-forms the W ranks on the live silos, restores every shard from the newest checkpoint whose objects all
    /// verify, and has every rank pull the restored parameters; retries (the lost silo may not be declared dead yet)
    /// until <see cref="TrainingGrainOptions.RecoveryTimeout"/>.
    /// </summary>
    /// <exception cref="ExperimentFailedException">No checkpoint to resume from, too many recoveries, or the time ran out.</exception>
    private async Task RecoverAsync(TrainingPlan plan, string cause, CancellationToken cancellationToken)
    {
        if (S.Recoveries >= _options.MaxRecoveries)
        {
            throw new ExperimentFailedException($"{cause}; not resuming again: the experiment already recovered {S.Recoveries} times (the limit)");
        }

        S.Recoveries++;
        var started = time.GetTimestamp();
        _events.Append(ExperimentState.Running, null, $"recovering ({S.Recoveries} of at most {_options.MaxRecoveries}): {cause}");
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var manifest = await checkpoints.FindNewestValidAsync(ExperimentId, plan.WorldSize, plan.Seed,
                    (step, why) => _events.Append(ExperimentState.Running, null, $"checkpoint at step {step} rejected: {why}"), CancellationToken.None);
                if (manifest is null)
                {
                    break;
                }

                var devices = await PlaceRanksAsync(plan);
                await RestoreShardsAsync(plan, manifest);
                var previous = S.Workers;
                S.Devices = devices;
                S.Workers = WorkerKeys(devices);
                _workers = [.. S.Workers.Select(GrainFactory.GetGrain<IGpuWorkerGrain>)];
                ReleaseWorkers([.. previous.Except(S.Workers, StringComparer.Ordinal).Select(GrainFactory.GetGrain<IGpuWorkerGrain>)]);
                var placed = plan with { Devices = devices };
                await EveryRankAsync(_workers, "setting up", (w, r) => w.Initialize(new WorkerAssignment(ExperimentId, r, placed)), cancellationToken);
                await EveryRankAsync(_workers, "loading the checkpoint into", (w, _) => Done(w.PullParameters()), cancellationToken);
                S.CompletedSteps = manifest.Step;
                await state.WriteStateAsync(CancellationToken.None);
                _events.Append(ExperimentState.Running, null,
                    $"resumed from the checkpoint at step {manifest.Step} (attempt {attempt}, {time.GetElapsedTime(started).TotalSeconds:0.#} s after the failure); "
                    + $"{plan.WorldSize} ranks on {devices.Distinct().Count()} devices: {string.Join(", ", devices)}");
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (time.GetElapsedTime(started) > _options.RecoveryTimeout)
                {
                    throw new ExperimentFailedException($"{cause}; could not resume within {_options.RecoveryTimeout.TotalSeconds:0} s: {Describe(e)}");
                }

                LogRecoveryAttemptFailed(logger, ExperimentId, attempt, Describe(e));
                await AbortShardsAsync(plan, "recovery attempt failed");
                await Task.Delay(_options.RecoveryRetryDelay, time, cancellationToken);
            }
        }

        throw new ExperimentFailedException($"{cause}; cannot resume: no checkpoint of '{ExperimentId}' in {checkpoints.Location} verifies");
    }

    /// <summary>
    /// A device for every rank: a rank keeps its device while its silo is active and its worker answers; the others
    /// go, one at a time, to the live device with the fewest ranks (a silo that joined has none, so it is used first).
    /// </summary>
    private async Task<string[]> PlaceRanksAsync(TrainingPlan plan)
    {
        var live = membership.Current.Silos.Values
            .Where(e => e.Status == SiloStatus.Active)
            .OrderBy(e => e.SiloName, StringComparer.Ordinal)
            .SelectMany(e => (e.Properties.TryGetValue("devices", out var list) ? list : string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => $"{e.SiloName}/{d}"))
            .ToList();
        var answers = await Task.WhenAll(S.Workers.Select(async key =>
        {
            try
            {
                await GrainFactory.GetGrain<IGpuWorkerGrain>(key).Ping().WaitAsync(_options.ProbeTimeout, time);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }));
        var suspects = S.Devices.Where((_, rank) => !answers[rank]).Select(d => DeviceAddress.Parse(d).Silo).ToHashSet(StringComparer.Ordinal);
        live.RemoveAll(d => suspects.Contains(DeviceAddress.Parse(d).Silo));
        if (live.Count == 0)
        {
            throw new InvalidOperationException($"no live device to place the ranks on (silos not answering: {string.Join(", ", suspects)})");
        }

        var devices = new string?[plan.WorldSize];
        var load = live.ToDictionary(d => d, _ => 0, StringComparer.Ordinal);
        for (var rank = 0; rank < plan.WorldSize; rank++)
        {
            if (rank < S.Devices.Length && load.ContainsKey(S.Devices[rank]))
            {
                devices[rank] = S.Devices[rank];
                load[S.Devices[rank]]++;
            }
        }

        for (var rank = 0; rank < plan.WorldSize; rank++)
        {
            if (devices[rank] is null)
            {
                var least = live.MinBy(d => load[d])!;
                devices[rank] = least;
                load[least]++;
            }
        }

        return [.. devices.Select(d => d!)];
    }

    /// <summary>Has every shard (wherever it activates now) replace its state with its object of <paramref name="manifest"/>.</summary>
    private async Task RestoreShardsAsync(TrainingPlan plan, CheckpointManifest manifest)
    {
        var restores = new List<Task>();
        foreach (var role in Roles)
        {
            var entries = manifest.Objects.Where(o => CheckpointNames.RoleOf(o.Model) == role).OrderBy(o => o.Shard).ToList();
            var parameters = entries.Sum(o => (long)o.Length);
            var layout = ShardLayout.Create(parameters, plan.ShardsOf(role), plan.BucketElements);
            if (entries.Count != layout.Shards.Count)
            {
                throw new ExperimentFailedException($"the checkpoint at step {manifest.Step} has {entries.Count} {role} shards; the plan has {layout.Shards.Count}");
            }

            foreach (var slice in layout.Shards)
            {
                var entry = entries[slice.Shard];
                var assignment = new ShardAssignment(ExperimentId, role, slice.Shard, slice.Offset, slice.Length,
                    [.. slice.Buckets.Select(b => b.Length)], plan.WorldSize, plan.OptimizerOf(role), FirstStep: manifest.Step);
                var key = TrainingKeys.Shard(ExperimentId, role, slice.Shard);
                restores.Add(RestoreOne(role, slice.Shard, assignment, CheckpointStore.ToObject(entry), key));
            }
        }

        await Task.WhenAll(restores);

        async Task RestoreOne(ModelRole role, int shard, ShardAssignment assignment, CheckpointObject entry, string key)
        {
            // Continuations run in this activation's turn, one at a time: no lock around the dictionary.
            _shards[key] = await Shard(role, shard).Restore(assignment, entry).WaitAsync(_options.SetupTimeout, time);
        }
    }

    /// <summary>Builds the replicas, has every rank seed its own shards with the one (seeded) initialization, and has every rank pull it.</summary>
    private async Task SetUpAsync(TrainingPlan plan, IGpuWorkerGrain[] workers, CancellationToken cancellationToken)
    {
        var ready = await EveryRankAsync(workers, "setting up", (w, r) => w.Initialize(new WorkerAssignment(ExperimentId, r, plan)), cancellationToken);
        var sizes = ready.Select(r => (r.GeneratorParameters, r.DiscriminatorParameters)).Distinct().ToList();
        if (sizes.Count != 1)
        {
            throw new ExperimentFailedException($"the ranks built models of different sizes: {string.Join(", ", sizes)}");
        }

        // Every rank seeds the shards it owns (shard s belongs to rank s mod W), so each shard is placed on its owner's
        // silo (prefer-local placement) and the shards spread over the silos; every rank built the same seeded models.
        await EveryRankAsync(workers, "seeding the shards from", (w, _) => Done(w.SeedShards()), cancellationToken);
        foreach (var role in Roles)
        {
            for (var i = 0; i < plan.ShardsOf(role); i++)
            {
                _shards[TrainingKeys.Shard(ExperimentId, role, i)] = await Shard(role, i).Ping();
            }
        }

        await EveryRankAsync(workers, "loading the initial parameters into", (w, _) => Done(w.PullParameters()), cancellationToken);
        await TransitionAsync(ExperimentState.Running,
            $"{plan.WorldSize} workers ready on {string.Join(", ", ready.Select(r => $"{r.SiloName}/{r.Device}"))}; "
            + $"G has {sizes[0].GeneratorParameters} parameters in {plan.GeneratorShards} shards, D {sizes[0].DiscriminatorParameters} in {plan.DiscriminatorShards}");
    }

    /// <summary>One step on every rank behind a barrier: all ranks report, or the step fails on the first rank that fails or at the timeout.</summary>
    private async Task<StepProgress> RunStepAsync(TrainingPlan plan, IGpuWorkerGrain[] workers, long step, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var reports = await EveryRankAsync(workers, $"step {step} on", (w, _) => w.RunStep(step), cancellationToken, plan.StepTimeout, step);
        return new StepProgress(
            step,
            plan.Steps,
            reports.Average(r => r.DiscriminatorLoss),
            reports.Average(r => r.GeneratorLoss),
            reports.Average(r => r.RealScore),
            reports.Average(r => r.FakeScoreBefore),
            reports.Average(r => r.FakeScoreAfter),
            time.GetElapsedTime(started).TotalSeconds,
            reports.Max(r => r.ComputeSeconds),
            reports.Max(r => r.CommunicationSeconds),
            reports.Max(r => r.BytesSent + r.BytesReceived));
    }

    /// <summary>
    /// Calls every rank and waits for all, failing on the first failure or when <paramref name="timeout"/> passes —
    /// then asks every worker and shard whether it still answers, so the reason names the lost rank and silo.
    /// </summary>
    private async Task<T[]> EveryRankAsync<T>(
        IGpuWorkerGrain[] workers, string what, Func<IGpuWorkerGrain, int, Task<T>> call, CancellationToken cancellationToken,
        TimeSpan? timeout = null, long? step = null)
    {
        var limit = timeout ?? _options.SetupTimeout;
        var calls = workers.Select((w, rank) => call(w, rank)).ToArray();
        using var stopDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(limit, time, stopDeadline.Token);
        var pending = new HashSet<Task>(calls);
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending.Append(deadline));
                if (done == deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var late = Enumerable.Range(0, calls.Length).Where(r => pending.Contains(calls[r])).ToList();
                    throw await DiagnoseAsync(step,
                        $"{Ranks(late)} did not finish {what} {(late.Count == 1 ? "its worker" : "their workers")} within {limit.TotalSeconds:0.###} s", failedRank: null);
                }

                if (!done.IsCompletedSuccessfully)
                {
                    var rank = Array.IndexOf(calls, done);
                    var error = done.Exception?.GetBaseException() ?? new OperationCanceledException("the call was cancelled");
                    throw await DiagnoseAsync(step, $"rank {rank} ({S.Workers[rank]}) failed {what} its worker: {Describe(error)}", rank);
                }

                pending.Remove(done);
            }
        }
        finally
        {
            await stopDeadline.CancelAsync();
            foreach (var task in pending)
            {
                _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        return [.. calls.Select(c => c.Result)];
    }

    /// <summary>
    /// Pings every other worker and every shard (bounded) and folds what does not answer, or answers without its
    /// state, into the reason: the first failure seen is often a symptom (a push to a lost shard), this names the cause.
    /// </summary>
    private async Task<ExperimentFailedException> DiagnoseAsync(long? step, string primary, int? failedRank)
    {
        var findings = new List<string>();
        var probes = S.Workers.Select(async (key, rank) =>
        {
            if (rank == failedRank)
            {
                return;
            }

            try
            {
                var health = await GrainFactory.GetGrain<IGpuWorkerGrain>(key).Ping().WaitAsync(_options.ProbeTimeout, time);
                if (!health.Ready && step is not null)
                {
                    findings.Add($"rank {rank} on silo '{health.SiloName}' lost its replica");
                }
            }
            catch (Exception e)
            {
                findings.Add($"rank {rank} on silo '{DeviceAddress.Parse(S.Devices[rank]).Silo}' does not answer ({Describe(e)})");
            }
        }).Concat(_shards.Select(async known =>
        {
            try
            {
                var health = await GrainFactory.GetGrain<IParameterShardGrain>(known.Key).Ping().WaitAsync(_options.ProbeTimeout, time);
                if (health.ActivationId != known.Value.ActivationId || !health.Ready)
                {
                    findings.Add($"shard {known.Key} lost its state (was on silo '{known.Value.SiloName}', now on '{health.SiloName}')");
                }
            }
            catch (Exception e)
            {
                findings.Add($"shard {known.Key} on silo '{known.Value.SiloName}' does not answer ({Describe(e)})");
            }
        }));
        await Task.WhenAll(probes);
        findings.Sort(StringComparer.Ordinal);
        var where = step is { } s ? $"step {s} failed" : "setup failed";
        return new ExperimentFailedException($"{where}: {primary}" + (findings.Count > 0 ? $"; {string.Join("; ", findings)}" : string.Empty));
    }

    private async Task AbortShardsAsync(TrainingPlan plan, string reason)
    {
        var aborts = Roles
            .SelectMany(role => Enumerable.Range(0, plan.ShardsOf(role)).Select(i => TrainingKeys.Shard(ExperimentId, role, i)))
            .Where(_shards.ContainsKey)
            .Select(key => GrainFactory.GetGrain<IParameterShardGrain>(key).AbortStep(reason).WaitAsync(_options.ProbeTimeout, time));
        try
        {
            await Task.WhenAll(aborts);
        }
        catch (Exception e)
        {
            // A shard that cannot be told is gone or stuck; its waiting pushes fail with their own timeouts.
            LogAbortIncomplete(logger, ExperimentId, e.Message);
        }
    }

    /// <summary>
    /// Keeps rank 0's BatchNorm running statistics before the workers are released: they live only in the replicas,
    /// and an exported generator needs them to sample in evaluation mode. A failure here costs only the export.
    /// </summary>
    private async Task CaptureRunningStatisticsAsync(IGpuWorkerGrain rank0)
    {
        try
        {
            S.GeneratorStatistics = await rank0.GetRunningStatistics(ModelRole.Generator).WaitAsync(_options.ProbeTimeout, time);
            S.DiscriminatorStatistics = await rank0.GetRunningStatistics(ModelRole.Discriminator).WaitAsync(_options.ProbeTimeout, time);
        }
        catch (Exception e)
        {
            LogStatisticsLost(logger, e, ExperimentId);
        }
    }

    private void ReleaseWorkers(IGpuWorkerGrain[] workers)
    {
        foreach (var worker in workers)
        {
            _ = worker.Release().WaitAsync(_options.SetupTimeout, time).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private async Task TransitionAsync(ExperimentState next, string message)
    {
        S.State = next;
        S.Reason = next is ExperimentState.Failed or ExperimentState.Cancelled ? message : null;
        S.UpdatedAt = time.GetUtcNow();
        S.LastSequence = _events.Append(next, null, message).Sequence;
        LogTransition(logger, ExperimentId, next, message);
        await state.WriteStateAsync(CancellationToken.None);
        if (next.IsTerminal() && Checkpointing)
        {
            try
            {
                await checkpoints.ClearRunningAsync(ExperimentId, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A stale marker only costs the silos' scans a status call that finds the experiment ended.
                LogMarkerNotCleared(logger, ExperimentId, e.Message);
            }
        }
    }

    private async Task TryTransitionAsync(ExperimentState next, string message)
    {
        try
        {
            await TransitionAsync(next, message);
        }
        catch (Exception e)
        {
            LogPersistFailed(logger, e, ExperimentId, next);
        }
    }

    private ExperimentStatus Status() => new(ExperimentId, S.State, S.CompletedSteps, S.Plan?.Steps ?? 0, S.Reason, GrainContext.SiloName, S.Workers, S.UpdatedAt);

    private static readonly ModelRole[] Roles = [ModelRole.Generator, ModelRole.Discriminator];

    private string[] WorkerKeys(string[] devices) => [.. devices.Select((d, rank) => TrainingKeys.Worker(DeviceAddress.Parse(d), ExperimentId, rank))];

    private IParameterShardGrain Shard(ModelRole role, int index) => GrainFactory.GetGrain<IParameterShardGrain>(TrainingKeys.Shard(ExperimentId, role, index));

    private static async Task<bool> Done(Task task)
    {
        await task;
        return true;
    }

    private static string Ranks(List<int> ranks) => ranks.Count == 1 ? $"rank {ranks[0]}" : $"ranks {string.Join(", ", ranks)}";

    private static string Describe(Exception e) => e switch
    {
        TimeoutException => $"no answer within the timeout: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {Experiment} is {State}: {Message}")]
    private static partial void LogTransition(ILogger logger, string experiment, ExperimentState state, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: Drive had not started after re-activation; sending it again (attempt {Attempt})")]
    private static partial void LogDriveResent(ILogger logger, string experiment, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: not every shard could be told to abort: {Error}")]
    private static partial void LogAbortIncomplete(ILogger logger, string experiment, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: rank 0's running statistics could not be taken; exports will lack them")]
    private static partial void LogStatisticsLost(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: a step failed; resuming from the newest valid checkpoint")]
    private static partial void LogRecovering(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: recovery attempt {Attempt} failed: {Error}")]
    private static partial void LogRecoveryAttemptFailed(ILogger logger, string experiment, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: the checkpoint at step {Step} could not be written")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string experiment, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: its running marker could not be removed: {Error}")]
    private static partial void LogMarkerNotCleared(ILogger logger, string experiment, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {Experiment}: could not persist the {State} state")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string experiment, ExperimentState state);
}
