using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Hosting;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Sends grain calls made on this silo (by grains, or by clients through the gateway) to wherever the grain is
/// activated: locates it, delivers locally or over the network, and reroutes once or twice when a silo answers
/// "not here" or "shutting down".
/// </summary>
internal sealed partial class GrainRequestRouter : IRequestSender
{
    /// <summary>How many rejections a request survives (a stale location, then a silo leaving, say).</summary>
    public const int MaxReroutes = 2;

    private readonly LocalSilo _local;
    private readonly MessageCenter _messages;
    private readonly PendingRequestTable _requests;
    private readonly Catalog _catalog;
    private readonly GrainLocator _locator;
    private readonly LocalReplyChannel _localReplies;
    private readonly ILogger<GrainRequestRouter> _logger;

    /// <summary>Creates the router of a silo.</summary>
    public GrainRequestRouter(LocalSilo local, MessageCenter messages, Catalog catalog, GrainLocator locator, ILogger<GrainRequestRouter> logger)
    {
        _local = local;
        _messages = messages;
        _requests = messages.Requests;
        _catalog = catalog;
        _locator = locator;
        _localReplies = new LocalReplyChannel(_requests);
        _logger = logger;
    }

    /// <inheritdoc />
    public long NextMessageId() => _requests.NextId();

    /// <inheritdoc />
    public void SendRequest(Message request, IResponseSink sink, TimeSpan? timeout, string what, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(request with { SendingSilo = _local.Address, SendingClient = null }, sink, what)
        {
            RejectionHandler = Reroute,
        };
        _requests.Add(pending, timeout, cancellationToken, SendCancel);
        _ = RouteAsync(pending, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SendOneWayAsync(Message request, CancellationToken cancellationToken)
    {
        var message = request with { SendingSilo = _local.Address, SendingClient = null };
        for (int reroutes = 0; ; reroutes++)
        {
            SiloAddress? target = null;
            try
            {
                target = await LocateAsync(message.Target, cancellationToken).ConfigureAwait(false);
                await DeliverAsync(target.Value, message with { TargetSilo = target }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SiloUnavailableException e) when (target is { } unreachable && reroutes < MaxReroutes && !cancellationToken.IsCancellationRequested)
            {
                // As for requests: nothing was delivered, so trying the next location cannot run the call twice. Without
                // this, a call routed by a stale location to a silo that just died is lost without the caller knowing.
                LogUnreachable(_logger, $"one-way call to {message.Target}", unreachable, e.Message);
                _locator.OnUnreachable(message.Target, unreachable);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One-way calls report nothing to the caller, by definition; the log is all there is.
                LogOneWayFailed(_logger, e, message.Target);
                return;
            }
        }
    }

    /// <inheritdoc />
    public void AbandonRequest(long requestId)
    {
        if (_requests.TryRemove(requestId, out var pending))
        {
            SendCancel(pending);
        }
    }

    private async Task RouteAsync(PendingRequest pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            SiloAddress target;
            try
            {
                target = await LocateAsync(pending.Request.Target, cancellationToken).ConfigureAwait(false);
                pending.Destination = target;
                pending.Request = pending.Request with { TargetSilo = target, TimeToLive = _requests.TimeLeft(pending) };
                if (!_requests.TryGet(pending.Id, out _))
                {
                    return; // the caller gave up (cancelled, timed out) while the grain was being located
                }
            }
            catch (Exception e)
            {
                _requests.TryFail(pending.Id, e);
                return;
            }

            try
            {
                await DeliverAsync(target, pending.Request, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SiloUnavailableException e) when (pending.Reroutes < MaxReroutes)
            {
                // Nothing was delivered (the silo is dead or refuses connections, e.g. it just left), so sending the
                // request elsewhere cannot run it twice.
                pending.Reroutes++;
                LogUnreachable(_logger, pending.Description, target, e.Message);
                _locator.OnUnreachable(pending.Request.Target, target);
            }
            catch (Exception e)
            {
                _requests.TryFail(pending.Id, e);
                return;
            }
        }
    }

    private ValueTask<SiloAddress> LocateAsync(GrainId grainId, CancellationToken cancellationToken) =>
        _catalog.ServesLocally(grainId) ? ValueTask.FromResult(_local.Address) : _locator.LocateAsync(grainId, cancellationToken);

    private async ValueTask DeliverAsync(SiloAddress target, Message message, CancellationToken cancellationToken)
    {
        if (_local.IsLocal(target))
        {
            // The callee may still run after the caller gave up; it must not read a buffer the caller reuses — nor a
            // tensor array the arguments reference (SegmentedMemory): one copy of the blocks, never joined first. A
            // tensor array's copy is handed over: the callee's deserializer takes it instead of copying it again.
            // Tensor views are lent for the call (the caller leaves them unchanged until it completes, as for a remote
            // call, which is sent from them): a two-way call's callee reads them in place. A one-way call completes
            // when it is queued, so it gets a copy.
            var body = SegmentedMemory.HandOverCopy(message.Body, shareLent: message.Kind == MessageKind.Request);
            _catalog.ReceiveRequest(message with { Body = body }, _localReplies);
            return;
        }

        await _messages.SendAsync(target, message, cancellationToken).ConfigureAwait(false);
    }

    private bool Reroute(PendingRequest pending, Message rejection)
    {
        if (pending.Reroutes >= MaxReroutes)
        {
            return false;
        }

        pending.Reroutes++;
        LogRerouting(_logger, pending.Description, pending.Destination, rejection.Rejection, rejection.Redirect);
        _locator.OnRejected(pending.Request.Target, pending.Destination, rejection.Rejection, rejection.Redirect);
        _ = RouteAsync(pending, CancellationToken.None);
        return true;
    }

    private void SendCancel(PendingRequest pending)
    {
        if (pending.Destination is not { } destination)
        {
            return;
        }

        var cancel = new Message
        {
            Id = pending.Id,
            Kind = MessageKind.Cancel,
            Target = pending.Request.Target,
            SendingSilo = _local.Address,
            TargetSilo = destination,
        };
        if (_local.IsLocal(destination))
        {
            _catalog.ReceiveCancel(cancel);
        }
        else
        {
            _ = _messages.SendCancelAsync(destination, cancel);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rerouting {Request}: {Silo} answered {Rejection} (redirect: {Redirect})")]
    private static partial void LogRerouting(ILogger logger, string request, SiloAddress? silo, RejectionReason rejection, SiloAddress? redirect);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rerouting {Request}: {Silo} cannot be reached ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string request, SiloAddress silo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A one-way call to {GrainId} could not be delivered")]
    private static partial void LogOneWayFailed(ILogger logger, Exception exception, GrainId grainId);
}
