using System.Diagnostics;
using System.Runtime.CompilerServices;
using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Training.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Coordinator;

/// <summary>
/// Runs one experiment: assigns ranks to devices, has rank 0 initialize the parameters once and seed the shards,
/// lets every rank pull them, then drives the steps behind a barrier that fails — naming the rank, its silo and the
/// cause — when a rank fails or the step outlives the plan's timeout. Reentrant, so status queries, cancellation
/// and watchers are served while the training loop (a one-way request to itself) runs.
/// </summary>
[Reentrant]
internal sealed partial class ExperimentCoordinatorGrain(
    [PersistentState("experiment")] IPersistentState<CoordinatorState> state,
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

    private CoordinatorState S => state.State;

    private string ExperimentId => GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events.ContinueAfter(S.LastSequence);
        if (S.State is ExperimentState.Submitted or ExperimentState.Running)
        {
            // A new activation runs no loop: the one that did is gone with its silo.
            await TransitionAsync(ExperimentState.Failed,
                $"the coordinator stopped while the experiment was {S.State} after {S.CompletedSteps} steps (its silo left the cluster or failed); "
                + "resuming needs checkpoints, which this cluster does not write yet");
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

        S.Plan = plan;
        S.Workers = [.. plan.Devices.Select((d, rank) => TrainingKeys.Worker(DeviceAddress.Parse(d), ExperimentId, rank))];
        await TransitionAsync(ExperimentState.Submitted,
            $"submitted: {plan.Model.Family.ToName()}, {plan.WorldSize} workers × batch {plan.BatchPerWorker}, {plan.Steps} steps, "
            + $"{plan.GeneratorShards}+{plan.DiscriminatorShards} shards");
        await GrainFactory.GetGrain<IExperimentDriverGrain>(ExperimentId).Drive(CancellationToken.None);
        return Status();
    }

    public Task<ExperimentStatus> GetStatus() => Task.FromResult(Status());

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
        if (_driving || S.State != ExperimentState.Submitted)
        {
            return;
        }

        _driving = true;
        var plan = S.Plan!;
        var workers = S.Workers.Select(GrainFactory.GetGrain<IGpuWorkerGrain>).ToArray();
        try
        {
            await SetUpAsync(plan, workers, cancellationToken);
            while (S.CompletedSteps < plan.Steps && !_cancelled.IsCancellationRequested)
            {
                var progress = await RunStepAsync(plan, workers, S.CompletedSteps, cancellationToken);
                S.CompletedSteps++;
                _events.Append(ExperimentState.Running, progress, null);
                if (S.CompletedSteps % _options.PersistEverySteps == 0)
                {
                    await state.WriteStateAsync(CancellationToken.None);
                }
            }

            await CaptureRunningStatisticsAsync(workers[0]);
            if (_cancelled.IsCancellationRequested)
            {
                await TransitionAsync(ExperimentState.Cancelled, $"cancelled by a client after {S.CompletedSteps} steps");
            }
            else
            {
                await TransitionAsync(ExperimentState.Completed, $"all {plan.Steps} steps done");
            }
        }
        catch (ExperimentFailedException e)
        {
            LogFailed(logger, e, ExperimentId);
            await AbortShardsAsync(plan, e.Message);
            await TransitionAsync(ExperimentState.Failed, e.Message);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            await TryTransitionAsync(ExperimentState.Failed, $"the coordinator's silo stopped after {S.CompletedSteps} steps ({e.Message})");
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
            ReleaseWorkers(workers);
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
        foreach (var role in new[] { ModelRole.Generator, ModelRole.Discriminator })
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
                findings.Add($"rank {rank} on silo '{DeviceAddress.Parse(S.Plan!.Devices[rank]).Silo}' does not answer ({Describe(e)})");
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
        var aborts = new[] { ModelRole.Generator, ModelRole.Discriminator }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: not every shard could be told to abort: {Error}")]
    private static partial void LogAbortIncomplete(ILogger logger, string experiment, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: rank 0's running statistics could not be taken; exports will lack them")]
    private static partial void LogStatisticsLost(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {Experiment}: could not persist the {State} state")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string experiment, ExperimentState state);
}
