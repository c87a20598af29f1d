using System.Collections.Concurrent;
using GenCluster.MessagePack;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Activation;

/// <summary>
/// The activations of this silo, one per grain id. Delivers incoming requests to them, creating an activation on
/// the first request (it registers in the directory; if another silo won, the request is redirected there).
/// Refuses new activations once the silo shuts down, and re-registers activations whose directory owner changed
/// when silos join or leave.
/// </summary>
internal sealed partial class Catalog
{
    /// <summary>How often a request may find its activation gone and look again before the catalog gives up.</summary>
    private const int MaxDispatchAttempts = 8;

    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<string, GrainClassInfo> _classes = new(StringComparer.Ordinal);
    private readonly LocalSilo _local;
    private readonly IGrainDirectory _directory;
    private readonly ClusterMembership _membership;
    private readonly GrainCollectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<Catalog> _logger;
    private readonly ActivationRuntime _runtime;
    private long _lastActivationId;

    /// <summary>Creates the catalog of a silo.</summary>
    public Catalog(
        LocalSilo local,
        IGrainDirectory directory,
        GrainActivator activator,
        ClusterMembership membership,
        IServiceProvider services,
        IOptions<GrainCollectionOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _local = local;
        _directory = directory;
        _membership = membership;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<Catalog>();
        IGrainFactory? grainFactory = null;
        _runtime = new ActivationRuntime(
            services,
            () => grainFactory ??= services.GetRequiredService<IGrainFactory>(),
            local.Name,
            directory,
            activator,
            _options,
            timeProvider,
            loggerFactory.CreateLogger<ActivationData>(),
            OnDeactivated);
        membership.Changed += (previous, current) => _ = ReRegisterMovedAsync(previous, current);
    }

    /// <summary>Number of activations (in any state).</summary>
    public int Count => _activations.Count;

    /// <summary>The activations (a live view).</summary>
    public IEnumerable<ActivationData> Activations => _activations.Values;

    /// <summary>The activation of <paramref name="grainId"/> here, if one exists and is not gone.</summary>
    public bool TryGetActivation(GrainId grainId, out ActivationData activation) =>
        _activations.TryGetValue(grainId, out activation!) && activation.State != ActivationState.Invalid;

    /// <summary>
    /// True when <paramref name="grainId"/> has an activation here that the directory accepted and that is not leaving.
    /// A call to it needs no lookup — and must not take one: this silo's cache or the directory may still name the
    /// silo the grain lived on before, which can be dead without membership having said so yet.
    /// </summary>
    public bool ServesLocally(GrainId grainId) =>
        _activations.TryGetValue(grainId, out var activation) && activation.ServesCalls;

    /// <summary>Delivers <paramref name="request"/> to its grain's activation, creating one if needed; errors go to <paramref name="replyTo"/>.</summary>
    public void ReceiveRequest(Message request, IReplyChannel replyTo)
    {
        var classInfo = FindClass(request.Target.Type);
        var interfaceInfo = GrainCodeRegistry.FindInterface(request.InterfaceId);
        var method = interfaceInfo?.Invoker.FindMethod(request.MethodId);
        if (classInfo is null || interfaceInfo is null || method is null || !classInfo.Interfaces.Contains(interfaceInfo.InterfaceType))
        {
            string problem =
                classInfo is null ? $"no grain class of type '{request.Target.Type}' is known to silo '{_local.Name}'"
                : interfaceInfo is null ? $"no grain interface with id {request.InterfaceId:x8} is known to silo '{_local.Name}'"
                : method is null ? $"{interfaceInfo.InterfaceType.Name} has no method with id {request.MethodId:x8}"
                : $"grain type '{classInfo.GrainType}' does not implement {interfaceInfo.InterfaceType.Name}";
            LogBadRequest(_logger, request.Target, problem);
            OwnedBytes.Release(request.Body);
            Reply(request, replyTo, request.CreateErrorReply(new NotSupportedException(problem)));
            return;
        }

        var expires = request.TimeToLive is { } ttl ? _timeProvider.GetUtcNow() + ttl : (DateTimeOffset?)null;
        Dispatch(new IncomingRequest(request, replyTo, interfaceInfo.Invoker, method, classInfo.Reentrant || method.AlwaysInterleave, expires), classInfo);
    }

    /// <summary>Stops the request <paramref name="cancel"/> refers to, if its activation is here.</summary>
    public void ReceiveCancel(Message cancel)
    {
        if (_activations.TryGetValue(cancel.Target, out var activation))
        {
            activation.Cancel(RequestKey.Of(cancel));
        }
    }

    /// <summary>Deactivates every activation (running <see cref="Grain.OnDeactivateAsync"/>) and waits for them to go.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var activations = _activations.Values.ToList();
        LogDeactivatingAll(_logger, activations.Count, reason);
        foreach (var activation in activations)
        {
            activation.Deactivate(reason);
        }

        await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every activation at once (the silo is dying).</summary>
    public void AbortAll()
    {
        foreach (var activation in _activations.Values)
        {
            activation.Abort();
        }

        _activations.Clear();
    }

    /// <summary>Deactivates activations idle for <see cref="GrainCollectionOptions.CollectionAge"/>; returns how many.</summary>
    public int CollectIdle()
    {
        var now = _timeProvider.GetUtcNow();
        return _activations.Values.Count(a => a.TryCollect(now, _options.CollectionAge));
    }

    private void Dispatch(IncomingRequest request, GrainClassInfo classInfo)
    {
        var grainId = request.Message.Target;
        for (int attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            if (_activations.TryGetValue(grainId, out var existing))
            {
                if (existing.TryEnqueue(request))
                {
                    return;
                }

                _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(grainId, existing));
                continue;
            }

            if (RefuseActivation(request, classInfo) is { } rejection)
            {
                Reply(request.Message, request.ReplyTo, rejection);
                request.Dispose();
                return;
            }

            var address = new GrainAddress(grainId, _local.Address, Interlocked.Increment(ref _lastActivationId));
            var activation = new ActivationData(address, classInfo, _runtime);
            if (!_activations.TryAdd(grainId, activation))
            {
                continue;
            }

            activation.TryEnqueue(request);
            _ = activation.ActivateAsync();
            return;
        }

        Reply(request.Message, request.ReplyTo, request.Message.CreateErrorReply(
            new InvalidOperationException($"{grainId} was deactivated and reactivated too often while the request waited")));
        request.Dispose();
    }

    /// <summary>Why a new activation of the request's grain must not be created here, as a rejection; null when it may.</summary>
    private Message? RefuseActivation(IncomingRequest request, GrainClassInfo classInfo)
    {
        var message = request.Message;
        if (!_local.AcceptsActivations)
        {
            return message.CreateRejection(RejectionReason.ShuttingDown, $"silo '{_local.Name}' is shutting down and accepts no new activations");
        }

        if (classInfo.Placement == PlacementKind.Pinned)
        {
            string siloName = PinnedPlacementDirector.SiloNameOf(message.Target);
            if (!string.Equals(siloName, _local.Name, StringComparison.Ordinal))
            {
                var pinned = _membership.Current.FindActiveByName(siloName)?.Silo;
                return message.CreateRejection(RejectionReason.NotHere, $"{message.Target} is pinned to silo '{siloName}', not '{_local.Name}'", pinned);
            }
        }

        return null;
    }

    private void OnDeactivated(ActivationData activation, IReadOnlyList<IncomingRequest> leftovers)
    {
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
        foreach (var request in leftovers)
        {
            Dispatch(request, activation.ClassInfo);
        }
    }

    /// <summary>
    /// After a membership change, activations whose directory owner moved register with the new owner (which
    /// starts empty). If someone registered the grain there first, the local activation is a duplicate and goes.
    /// </summary>
    private async Task ReRegisterMovedAsync(ClusterView previous, ClusterView current)
    {
        if (_local.AddressOrNull is null)
        {
            return;
        }

        foreach (var activation in _activations.Values)
        {
            var grainId = activation.GrainId;
            if (activation.State != ActivationState.Valid || previous.Ring.Owner(grainId) == current.Ring.Owner(grainId))
            {
                continue;
            }

            try
            {
                using var timeout = new CancellationTokenSource(_options.ActivationTimeout, _timeProvider);
                var registered = await _directory.RegisterAsync(activation.Address, timeout.Token).ConfigureAwait(false);
                if (registered != activation.Address)
                {
                    LogDuplicateActivation(_logger, grainId, registered.Silo);
                    activation.Deactivate(DeactivationReason.Requested);
                }
            }
            catch (Exception e)
            {
                LogReRegistrationFailed(_logger, e, grainId);
            }
        }
    }

    private GrainClassInfo? FindClass(string? grainType)
    {
        if (grainType is null)
        {
            return null;
        }

        if (_classes.TryGetValue(grainType, out var known))
        {
            return known;
        }

        var found = GrainCodeRegistry.FindGrainType(grainType);
        return found is null ? null : _classes.GetOrAdd(grainType, found);
    }

    private void Reply(Message request, IReplyChannel replyTo, Message reply)
    {
        if (request.Kind == MessageKind.OneWayRequest)
        {
            return;
        }

        _ = SendAsync();

        async Task SendAsync()
        {
            try
            {
                await replyTo.SendAsync(reply).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogReplyFailed(_logger, e, request.Target);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for {GrainId}: {Problem}")]
    private static partial void LogBadRequest(ILogger logger, GrainId grainId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivating {Count} activations ({Reason})")]
    private static partial void LogDeactivatingAll(ILogger logger, int count, DeactivationReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{GrainId} is also activated on {Silo}, which registered first after the directory moved; deactivating the local activation")]
    private static partial void LogDuplicateActivation(ILogger logger, GrainId grainId, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-register {GrainId} with its new directory owner")]
    private static partial void LogReRegistrationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reply to a request for {GrainId}; the caller is gone")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, GrainId grainId);
}
