using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Gateway;
using GenCluster.Runtime.Hosting;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Handles the connections other silos and clients open to this silo. Client connections belong to the
/// <see cref="ClientGateway"/>; on silo connections, requests go to the <see cref="Catalog"/> (or a system target),
/// cancellations to the activation serving the request, and pings are answered.
/// </summary>
internal sealed partial class SiloMessageHandler : IFrameHandler
{
    private readonly LocalSilo _local;
    private readonly Catalog _catalog;
    private readonly ClientGateway _gateway;
    private readonly PendingRequestTable _requests;
    private readonly Dictionary<string, ISystemTarget> _systemTargets;
    private readonly ILogger<SiloMessageHandler> _logger;

    /// <summary>Creates the handler of a silo's listener.</summary>
    public SiloMessageHandler(
        LocalSilo local,
        Catalog catalog,
        ClientGateway gateway,
        PendingRequestTable requests,
        IEnumerable<ISystemTarget> systemTargets,
        ILogger<SiloMessageHandler> logger)
    {
        _local = local;
        _catalog = catalog;
        _gateway = gateway;
        _requests = requests;
        _systemTargets = systemTargets.ToDictionary(t => t.GrainType, StringComparer.Ordinal);
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask OnConnectedAsync(IFrameConnection connection)
    {
        if (connection.Remote.Role == ConnectionRole.Client)
        {
            _gateway.OnClientConnected(connection);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload)
    {
        Message message;
        try
        {
            message = MessageCodec.Read(payload);
        }
        catch (InvalidMessageException e)
        {
            OwnedBytes.Release(payload.First);
            LogInvalidMessage(_logger, e, connection.Remote);
            connection.Abort("invalid message");
            return;
        }

        if (connection.Remote.Role == ConnectionRole.Client)
        {
            await _gateway.OnClientMessageAsync(connection, message).ConfigureAwait(false);
            return;
        }

        var replyTo = new ConnectionReplyChannel(connection);
        switch (message.Kind)
        {
            case MessageKind.Ping:
                await replyTo.SendAsync(IsForThisSilo(message)
                    ? message.CreateReply(MessageKind.Pong)
                    : message.CreateRejection(RejectionReason.WrongSilo, $"this is {_local.AddressOrNull}, not {message.TargetSilo}")).ConfigureAwait(false);
                break;
            case MessageKind.Request or MessageKind.OneWayRequest when !IsForThisSilo(message):
                // Dropped here: a body kept in the received frame gives the frame back (a shared-memory block is not collected).
                OwnedBytes.Release(message.Body);
                if (message.Kind == MessageKind.Request)
                {
                    await replyTo.SendAsync(message.CreateRejection(RejectionReason.WrongSilo, $"silo {message.TargetSilo} is gone; {_local.AddressOrNull} listens on its endpoint now")).ConfigureAwait(false);
                }

                break;
            case MessageKind.Request or MessageKind.OneWayRequest when SystemTargets.IsSystemTarget(message.Target):
                _ = InvokeSystemTargetAsync(message, replyTo);
                break;
            case MessageKind.Request or MessageKind.OneWayRequest:
                // Runs the turn here, up to its first await, if the activation is idle: no thread wake-up per request.
                using (ActivationTaskScheduler.AllowInlineTurns())
                {
                    _catalog.ReceiveRequest(message, replyTo);
                }

                break;
            case MessageKind.Cancel:
                _catalog.ReceiveCancel(message);
                break;
            default:
                if (!_requests.TryDeliver(message))
                {
                    // A late reply nobody waits for any more.
                    OwnedBytes.Release(message.Body);
                }

                break;
        }
    }

    /// <inheritdoc />
    public ValueTask OnDisconnectedAsync(IFrameConnection connection, Exception? error)
    {
        if (connection.Remote.Role == ConnectionRole.Client)
        {
            _gateway.OnClientDisconnected(connection, error);
        }

        return ValueTask.CompletedTask;
    }

    private bool IsForThisSilo(Message message) => message.TargetSilo is null || _local.IsLocal(message.TargetSilo);

    private async Task InvokeSystemTargetAsync(Message request, IReplyChannel replyTo)
    {
        Message reply;
        if (!_systemTargets.TryGetValue(request.Target.Type, out var target))
        {
            reply = request.CreateErrorReply(new NotSupportedException($"silo '{_local.Name}' has no system target '{request.Target.Type}'"));
        }
        else
        {
            try
            {
                reply = request.CreateReply(MessageKind.Response, await target.InvokeAsync(request, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                reply = request.CreateErrorReply(e);
            }
        }

        // System targets deserialize their arguments (copies): the frame the body is kept in goes back.
        OwnedBytes.Release(request.Body);
        if (request.Kind == MessageKind.Request)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping the connection from {Peer}: it sent an invalid message")]
    private static partial void LogInvalidMessage(ILogger logger, Exception exception, PeerIdentity peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reply to a request for {Target}; the caller is gone")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, GrainId target);
}
