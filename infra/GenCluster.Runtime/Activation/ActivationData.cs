using GenCluster.MessagePack;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Activation;

/// <summary>
/// One activation of a grain on this silo: its instance, its request queue and its turns. All of the grain's code
/// (requests, timers, stream steps, lifecycle callbacks) runs on a private exclusive task scheduler, so it never runs
/// on two threads at once. On top of that, a non-reentrant grain starts a request only when no other
/// non-interleaving request is in progress (awaits included); <c>[Reentrant]</c> grains and <c>[AlwaysInterleave]</c>
/// methods start at once. Requests start in arrival order.
/// </summary>
internal sealed partial class ActivationData : IGrainContext
{
    private readonly object _lock = new();
    private readonly List<ActivationWorkItem> _waiting = [];
    private readonly Dictionary<RequestKey, IncomingRequest> _requests = [];
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActivationTaskScheduler _scheduler;
    private readonly ActivationRuntime _runtime;
    private ActivationState _state = ActivationState.Activating;
    private DeactivationReason _deactivationReason;
    private bool _deactivateWhenActivated;
    private bool _deactivationStarted;
    private volatile bool _registered;
    private int _running;
    private int _runningExclusive;
    private int _openStreams;
    private DateTimeOffset _lastActivity;

    /// <summary>Creates an activation; <see cref="ActivateAsync"/> brings it to life.</summary>
    public ActivationData(GrainAddress address, GrainClassInfo classInfo, ActivationRuntime runtime)
    {
        Address = address;
        ClassInfo = classInfo;
        _runtime = runtime;
        _scheduler = new ActivationTaskScheduler(runtime.Options.InlineTurnBudget);
        _lastActivity = runtime.TimeProvider.GetUtcNow();
    }

    /// <summary>This activation's directory address.</summary>
    public GrainAddress Address { get; }

    /// <summary>The grain class.</summary>
    public GrainClassInfo ClassInfo { get; }

    /// <summary>The grain instance, once constructed.</summary>
    public object? GrainInstance { get; private set; }

    /// <summary>Completes when the activation is gone (deactivated, failed or aborted).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>
    /// True from the moment the directory accepted this activation (before <see cref="Grain.OnActivateAsync"/> runs)
    /// until it is gone: calls made on this silo may then be delivered here without asking the directory.
    /// </summary>
    public bool ServesCalls => _registered && State is ActivationState.Activating or ActivationState.Valid;

    /// <summary>Where the activation is in its life.</summary>
    public ActivationState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    public GrainId GrainId => Address.GrainId;

    /// <inheritdoc />
    public IGrainFactory GrainFactory => _runtime.GrainFactory;

    /// <inheritdoc />
    public IServiceProvider Services => _runtime.Services;

    /// <inheritdoc />
    public string SiloName => _runtime.SiloName;

    private ILogger Logger => _runtime.Logger;

    /// <inheritdoc />
    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, period, _runtime.TimeProvider, Logger);
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"{GrainId} is being deactivated and cannot start timers");
            }

            _timers.Add(timer);
        }

        timer.Start(dueTime);
        return timer;
    }

    /// <inheritdoc />
    public void DeactivateOnIdle() => Deactivate(DeactivationReason.Requested);

    /// <summary>
    /// Registers in the directory, constructs the grain, reads its persistent state and runs
    /// <see cref="Grain.OnActivateAsync"/>. If another silo won the registration, queued requests are redirected
    /// there; if activation fails, they fail with its exception. Either way the activation is then discarded.
    /// </summary>
    public async Task ActivateAsync()
    {
        Exception? failure = null;
        GrainAddress? registered = null;
        try
        {
            using (var timeout = CreateTimeout(_runtime.Options.ActivationTimeout))
            {
                registered = await _runtime.Directory.RegisterAsync(Address, timeout.Token).ConfigureAwait(false);
            }

            if (registered == Address)
            {
                _registered = true;
                await RunOnSchedulerAsync(CreateAndActivateAsync).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        if (failure is null && registered == Address)
        {
            bool deactivate;
            lock (_lock)
            {
                _state = ActivationState.Valid;
                deactivate = _deactivateWhenActivated;
            }

            LogActivated(Logger, GrainId, ClassInfo.GrainClass.Name);
            Pump();
            if (deactivate)
            {
                Deactivate(_deactivationReason);
            }

            return;
        }

        // Nobody will be served by this activation: tell the waiting callers where to go instead, or why not.
        var waiting = TakeAllAndInvalidate();
        if (failure is not null)
        {
            LogActivationFailed(Logger, failure, GrainId);
            if (registered == Address)
            {
                await UnregisterAsync().ConfigureAwait(false);
            }
        }
        else
        {
            LogLostRegistration(Logger, GrainId, registered!.Silo);
        }

        _runtime.OnDeactivated(this, []);
        foreach (var item in waiting)
        {
            if (item.Request is { } request)
            {
                var reply = failure is null
                    ? request.Message.CreateRejection(RejectionReason.NotHere, $"{GrainId} is activated on {registered!.Silo}", registered.Silo)
                    : request.Message.CreateErrorReply(failure);
                OwnedBytes.Release(request.Message.Body);
                _ = SendReplyAsync(request, reply);
            }
            else
            {
                item.OnDropped?.Invoke(failure ?? new InvalidOperationException($"{GrainId} is activated on another silo"));
            }
        }

        _deactivated.TrySetResult();
    }

    /// <summary>Queues <paramref name="request"/>; false when the activation is gone (the caller finds or creates another).</summary>
    public bool TryEnqueue(IncomingRequest request)
    {
        var item = new ActivationWorkItem(request);
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            // While deactivating, requests wait here and are handed to the next activation afterwards.
            _requests[request.Key] = request;
            _waiting.Add(item);
        }

        Pump();
        return true;
    }

    /// <summary>Runs <paramref name="turn"/> as a turn of this activation (timer ticks, stream steps).</summary>
    /// <exception cref="InvalidOperationException">(In the task) the activation is deactivating or gone.</exception>
    public Task<T> RunTurnAsync<T>(Func<Task<T>> turn, bool interleaves, bool keepsAlive)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new ActivationWorkItem(
            async () =>
            {
                try
                {
                    completion.TrySetResult(await turn());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                }
            },
            interleaves,
            keepsAlive)
        {
            OnDropped = e => completion.TrySetException(e),
        };

        bool queued;
        lock (_lock)
        {
            queued = _state is ActivationState.Activating or ActivationState.Valid;
            if (queued)
            {
                _waiting.Add(item);
            }
        }

        if (!queued)
        {
            completion.TrySetException(new InvalidOperationException($"{GrainId} is being deactivated"));
        }

        Pump();
        return completion.Task;
    }

    /// <summary>Stops the request <paramref name="key"/>: dropped if it waits, its token cancelled if it runs.</summary>
    public void Cancel(RequestKey key)
    {
        IncomingRequest? request;
        lock (_lock)
        {
            if (!_requests.TryGetValue(key, out request))
            {
                return;
            }

            int index = _waiting.FindIndex(w => ReferenceEquals(w.Request, request));
            if (index >= 0)
            {
                _waiting.RemoveAt(index);
                _requests.Remove(key);
            }
        }

        request.Cancel();
    }

    /// <summary>Starts deactivation (after the running turns finish); no effect once deactivating.</summary>
    public void Deactivate(DeactivationReason reason)
    {
        lock (_lock)
        {
            switch (_state)
            {
                case ActivationState.Activating:
                    _deactivateWhenActivated = true;
                    _deactivationReason = reason;
                    return;
                case ActivationState.Valid:
                    _state = ActivationState.Deactivating;
                    _deactivationReason = reason;
                    if (_running > 0)
                    {
                        return; // the last turn to finish starts it
                    }

                    _deactivationStarted = true;
                    break;
                default:
                    return;
            }
        }

        _ = FinishDeactivationAsync();
    }

    /// <summary>Deactivates the activation if it has been idle for <paramref name="collectionAge"/>.</summary>
    /// <returns>Whether deactivation started.</returns>
    public bool TryCollect(DateTimeOffset now, TimeSpan collectionAge)
    {
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _running > 0 || _waiting.Count > 0 || _openStreams > 0 || now - _lastActivity < collectionAge)
            {
                return false;
            }

            _state = ActivationState.Deactivating;
            _deactivationReason = DeactivationReason.Idle;
            _deactivationStarted = true;
        }

        _ = FinishDeactivationAsync();
        return true;
    }

    /// <summary>
    /// Drops the activation at once, without <see cref="Grain.OnDeactivateAsync"/> or unregistering: the silo is
    /// dying, and another activation may already own the grain's state.
    /// </summary>
    public void Abort()
    {
        List<IncomingRequest> requests;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return;
            }

            requests = [.. _requests.Values];
        }

        var waiting = TakeAllAndInvalidate();
        DisposeTimers();
        foreach (var request in requests)
        {
            request.Cancel();
        }

        foreach (var item in waiting.Where(w => w.Request is null))
        {
            item.OnDropped?.Invoke(new SiloUnavailableException($"silo '{SiloName}' stopped"));
        }

        _deactivated.TrySetResult();
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private async Task CreateAndActivateAsync()
    {
        using var timeout = CreateTimeout(_runtime.Options.ActivationTimeout);
        var instance = _runtime.Activator.CreateInstance(ClassInfo, this);
        GrainInstance = instance.Grain;
        foreach (var state in instance.States)
        {
            await state.ReadStateAsync(timeout.Token);
        }

        if (instance.Grain is Grain grain)
        {
            await grain.OnActivateAsync(timeout.Token);
        }
    }

    private async Task RunRequestAsync(IncomingRequest request)
    {
        RequestContext.Import(request.Message.Headers);
        Message? reply;
        try
        {
            GrainCallResult result;
            try
            {
                result = await request.Invoker.InvokeAsync(GrainInstance!, request.Message.MethodId, request.Message.Body, request.CancellationToken);
            }
            finally
            {
                // The method has completed: its arguments were copies, or tensor views whose lease the generated invoker
                // has just ended. A body kept in a received frame's pooled array gives the array back.
                OwnedBytes.Release(request.Message.Body);
            }

            if (result.Stream is { } stream)
            {
                var items = stream.GetAsyncEnumerator(request.CancellationToken);
                lock (_lock)
                {
                    _openStreams++;
                }

                // Each further step of the stream is a turn of its own, queued like a request.
                _ = Task.Run(() => PumpStreamAsync(request, items));
                return;
            }

            reply = request.Message.CreateReply(MessageKind.Response, result.Value);
        }
        catch (Exception e)
        {
            LogRequestFailed(Logger, e, request.Method.Name, GrainId);
            reply = request.Message.CreateErrorReply(e);
        }

        CompleteRequest(request, reply);
    }

    private async Task PumpStreamAsync(IncomingRequest request, IAsyncEnumerator<ReadOnlyMemory<byte>> items)
    {
        Message? final = null;
        try
        {
            while (!request.IsCancelled)
            {
                var (hasItem, item) = await RunTurnAsync(
                    async () =>
                    {
                        RequestContext.Import(request.Message.Headers);
                        return await items.MoveNextAsync() ? (true, items.Current) : (false, ReadOnlyMemory<byte>.Empty);
                    },
                    request.Interleaves,
                    keepsAlive: true).ConfigureAwait(false);
                if (!hasItem)
                {
                    final = request.Message.CreateReply(MessageKind.StreamEnd);
                    break;
                }

                await SendReplyAsync(request, request.Message.CreateReply(MessageKind.StreamItem, item)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!request.IsCancelled)
        {
            LogRequestFailed(Logger, e, request.Method.Name, GrainId);
            final = request.Message.CreateErrorReply(e);
        }
        catch (Exception)
        {
            // Cancelled by the caller, who is no longer listening.
        }
        finally
        {
            try
            {
                await RunTurnAsync(
                    async () =>
                    {
                        await items.DisposeAsync();
                        return true;
                    },
                    request.Interleaves,
                    keepsAlive: false).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogStreamDisposeFailed(Logger, e, request.Method.Name, GrainId);
            }

            lock (_lock)
            {
                _openStreams--;
            }

            CompleteRequest(request, final);
        }
    }

    private void CompleteRequest(IncomingRequest request, Message? reply)
    {
        lock (_lock)
        {
            if (_requests.TryGetValue(request.Key, out var current) && ReferenceEquals(current, request))
            {
                _requests.Remove(request.Key);
            }
        }

        if (reply is not null && !request.IsOneWay)
        {
            _ = SendReplyAsync(request, reply);
        }

        request.Dispose();
    }

    private async Task SendReplyAsync(IncomingRequest request, Message reply)
    {
        try
        {
            await request.ReplyTo.SendAsync(reply).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogReplyFailed(Logger, e, reply.Kind, request.Method.Name, GrainId);
        }
    }

    private void Pump()
    {
        List<ActivationWorkItem>? start = null;
        lock (_lock)
        {
            if (_state != ActivationState.Valid)
            {
                return;
            }

            var now = _runtime.TimeProvider.GetUtcNow();
            for (int i = 0; i < _waiting.Count;)
            {
                var item = _waiting[i];
                if (item.Request is { } request && (request.IsCancelled || request.Expires < now))
                {
                    // The caller gave up already; running it would only waste the turn.
                    _waiting.RemoveAt(i);
                    _requests.Remove(request.Key);
                    OwnedBytes.Release(request.Message.Body);
                    LogRequestExpired(Logger, request.Method.Name, GrainId);
                    continue;
                }

                if (item.Interleaves || _runningExclusive == 0)
                {
                    _waiting.RemoveAt(i);
                    _running++;
                    if (!item.Interleaves)
                    {
                        _runningExclusive++;
                    }

                    (start ??= []).Add(item);
                    continue;
                }

                i++;
            }
        }

        if (start is not null)
        {
            foreach (var item in start)
            {
                StartTurn(item);
            }
        }
    }

    private void StartTurn(ActivationWorkItem item) => StartOnScheduler(
        static state =>
        {
            var (activation, item) = ((ActivationData, ActivationWorkItem))state!;
            return activation.RunTurnAsync(item);
        },
        (this, item));

    private async Task RunTurnAsync(ActivationWorkItem item)
    {
        try
        {
            await (item.Request is { } request ? RunRequestAsync(request) : item.Run!());
        }
        catch (Exception)
        {
            // Turns report their own failures (a request replies with its error); this only ends the turn.
        }
        finally
        {
            OnTurnCompleted(item);
        }
    }

    private void OnTurnCompleted(ActivationWorkItem item)
    {
        bool finishDeactivation = false;
        lock (_lock)
        {
            _running--;
            if (!item.Interleaves)
            {
                _runningExclusive--;
            }

            if (item.KeepsAlive)
            {
                _lastActivity = _runtime.TimeProvider.GetUtcNow();
            }

            if (_state == ActivationState.Deactivating && _running == 0 && !_deactivationStarted)
            {
                _deactivationStarted = true;
                finishDeactivation = true;
            }
        }

        if (finishDeactivation)
        {
            _ = FinishDeactivationAsync();
        }
        else
        {
            Pump();
        }
    }

    private async Task FinishDeactivationAsync()
    {
        DisposeTimers();
        if (GrainInstance is Grain grain)
        {
            try
            {
                await RunOnSchedulerAsync(async () =>
                {
                    using var timeout = CreateTimeout(_runtime.Options.DeactivationTimeout);
                    await grain.OnDeactivateAsync(_deactivationReason, timeout.Token);
                }).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogDeactivationFailed(Logger, e, GrainId);
            }
        }

        await UnregisterAsync().ConfigureAwait(false);
        var leftovers = TakeAllAndInvalidate();
        LogDeactivated(Logger, GrainId, _deactivationReason);
        foreach (var item in leftovers.Where(w => w.Request is null))
        {
            item.OnDropped?.Invoke(new InvalidOperationException($"{GrainId} was deactivated"));
        }

        _runtime.OnDeactivated(this, leftovers.Select(w => w.Request).OfType<IncomingRequest>().ToList());
        _deactivated.TrySetResult();
    }

    private async Task UnregisterAsync()
    {
        try
        {
            using var timeout = CreateTimeout(_runtime.Options.DeactivationTimeout);
            await _runtime.Directory.UnregisterAsync(Address, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The entry goes stale; the next registration from this silo or the owner's death clears it.
            LogUnregisterFailed(Logger, e, GrainId);
        }
    }

    private List<ActivationWorkItem> TakeAllAndInvalidate()
    {
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            var waiting = new List<ActivationWorkItem>(_waiting);
            _waiting.Clear();
            _requests.Clear();
            return waiting;
        }
    }

    private void DisposeTimers()
    {
        List<GrainTimer> timers;
        lock (_lock)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the activation's scheduler with a clean execution context.</summary>
    private Task RunOnSchedulerAsync(Func<Task> work) => StartOnScheduler(static state => ((Func<Task>)state!)(), work).Unwrap();

    // A clean execution context, so the async-locals of whoever queued the work (another grain's request context,
    // say) do not leak into this grain. The task captures no context; it is started outside the suppression because
    // a frame handler's thread may run it at once (ActivationTaskScheduler.AllowInlineTurns).
    private Task<Task> StartOnScheduler(Func<object?, Task> work, object? state)
    {
        Task<Task> task;
        if (ExecutionContext.IsFlowSuppressed())
        {
            task = new Task<Task>(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach);
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                task = new Task<Task>(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach);
            }
        }

        task.Start(_scheduler);
        return task;
    }

    private CancellationTokenSource CreateTimeout(TimeSpan timeout) => new(timeout, _runtime.TimeProvider);

    /// <inheritdoc />
    public override string ToString() => $"activation {Address}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activated {GrainId} ({GrainClass})")]
    private static partial void LogActivated(ILogger logger, GrainId grainId, string grainClass);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activating {GrainId} failed; its queued requests fail with the error")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{GrainId} is already activated on {Silo}; queued requests are redirected there")]
    private static partial void LogLostRegistration(ILogger logger, GrainId grainId, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} on {GrainId} failed; the error goes back to the caller")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} on {GrainId} expired or was cancelled before it ran; dropped")]
    private static partial void LogRequestExpired(ILogger logger, string method, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send the {Kind} of {Method} on {GrainId}; the caller is gone")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, MessageKind kind, string method, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Disposing the stream of {Method} on {GrainId} failed")]
    private static partial void LogStreamDisposeFailed(ILogger logger, Exception exception, string method, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unregister {GrainId} from the directory")]
    private static partial void LogUnregisterFailed(ILogger logger, Exception exception, GrainId grainId);
}
