using System.Collections.Concurrent;
using GenCluster.MessagePack;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Gateway;

/// <summary>
/// Serves clients connected to this silo: each client request is re-issued into the cluster by this silo's router
/// (so locating, rerouting and failing over work as for grain-to-grain calls), and its replies — including stream
/// items — are relayed back. The tenant a client authenticated as overrides any tenant header it sent, so grains
/// can trust <see cref="RequestContext.Tenant"/>. Clients may ask for the grain manifest, and for nothing else of
/// the runtime's own.
/// </summary>
internal sealed partial class ClientGateway
{
    private readonly ConcurrentDictionary<(IFrameConnection Client, long Id), long> _forwarded = new();
    private readonly ConcurrentDictionary<IFrameConnection, byte> _clients = new();
    private readonly Lazy<byte[]> _manifest = new(() => GrainManifest.Encode(GrainManifest.FromRegistry()));
    private readonly GrainRequestRouter _router;
    private readonly ILogger<ClientGateway> _logger;

    /// <summary>Creates the gateway of a silo.</summary>
    public ClientGateway(GrainRequestRouter router, ILogger<ClientGateway> logger)
    {
        _router = router;
        _logger = logger;
    }

    /// <summary>Number of connected clients.</summary>
    public int ConnectedClients => _clients.Count;

    /// <summary>Number of client requests in progress.</summary>
    public int ForwardedRequests => _forwarded.Count;

    /// <summary>A client connected.</summary>
    public void OnClientConnected(IFrameConnection client)
    {
        _clients[client] = 0;
        LogClientConnected(_logger, client.Remote);
    }

    /// <summary>A client sent <paramref name="message"/>.</summary>
    public async ValueTask OnClientMessageAsync(IFrameConnection client, Message message)
    {
        switch (message.Kind)
        {
            case MessageKind.Request when message.Target == SystemTargets.Manifest:
                await ReplyAsync(client, message.CreateReply(MessageKind.Response, _manifest.Value)).ConfigureAwait(false);
                break;
            case MessageKind.Request or MessageKind.OneWayRequest when SystemTargets.IsSystemTarget(message.Target):
                if (message.Kind == MessageKind.Request)
                {
                    await ReplyAsync(client, message.CreateErrorReply(new NotSupportedException($"clients cannot call {message.Target.Type}"))).ConfigureAwait(false);
                }

                break;
            case MessageKind.Request:
                Forward(client, message);
                break;
            case MessageKind.OneWayRequest:
                await _router.SendOneWayAsync(ToCluster(client, message), CancellationToken.None).ConfigureAwait(false);
                break;
            case MessageKind.Cancel:
                if (_forwarded.TryRemove((client, message.Id), out long forwardedId))
                {
                    _router.AbandonRequest(forwardedId);
                }

                break;
            case MessageKind.Ping:
                await ReplyAsync(client, message.CreateReply(MessageKind.Pong)).ConfigureAwait(false);
                break;
            default:
                LogUnexpectedMessage(_logger, message.Kind, client.Remote);
                break;
        }
    }

    /// <summary>A client went away: its requests in progress are cancelled in the cluster.</summary>
    public void OnClientDisconnected(IFrameConnection client, Exception? error)
    {
        _clients.TryRemove(client, out _);
        int abandoned = 0;
        foreach (var key in _forwarded.Keys.Where(k => ReferenceEquals(k.Client, client)))
        {
            if (_forwarded.TryRemove(key, out long forwardedId))
            {
                _router.AbandonRequest(forwardedId);
                abandoned++;
            }
        }

        LogClientDisconnected(_logger, client.Remote, abandoned, error?.Message);
    }

    private void Forward(IFrameConnection client, Message message)
    {
        var forwarded = ToCluster(client, message);
        var key = (client, message.Id);
        _forwarded[key] = forwarded.Id;
        var forwarder = new ClientReplyForwarder(
            client,
            message.Id,
            () => _forwarded.TryRemove(new KeyValuePair<(IFrameConnection, long), long>(key, forwarded.Id)),
            _logger);
        _router.SendRequest(forwarded, forwarder, message.TimeToLive, Describe(message, client), CancellationToken.None);
    }

    /// <summary>The client's request as this silo issues it: a fresh id, this silo as sender, the client's tenant.</summary>
    private Message ToCluster(IFrameConnection client, Message message)
    {
        var headers = message.Headers is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(message.Headers, StringComparer.Ordinal);
        headers.Remove(RequestContext.Tenant);
        if (client.Remote.Tenant is { } tenant)
        {
            headers[RequestContext.Tenant] = tenant;
        }

        return message with
        {
            Id = _router.NextMessageId(),
            SendingClient = null,
            SendingSilo = null,
            TargetSilo = null,
            Headers = headers.Count == 0 ? null : headers,
        };
    }

    private static string Describe(Message message, IFrameConnection client)
    {
        string method = GrainCodeRegistry.FindInterface(message.InterfaceId)?.Invoker.FindMethod(message.MethodId)?.Name
            ?? $"method {message.MethodId:x8}";
        return $"{method} (for {client.Remote})";
    }

    private async ValueTask ReplyAsync(IFrameConnection client, Message reply)
    {
        try
        {
            await client.SendMessageAsync(reply).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogReplyFailed(_logger, e, client.Remote);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {Client} connected")]
    private static partial void LogClientConnected(ILogger logger, PeerIdentity client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {Client} disconnected ({Error}); cancelled {Abandoned} of its requests")]
    private static partial void LogClientDisconnected(ILogger logger, PeerIdentity client, int abandoned, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a {Kind} message from client {Client}")]
    private static partial void LogUnexpectedMessage(ILogger logger, MessageKind kind, PeerIdentity client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reply to client {Client}; it is gone")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, PeerIdentity client);
}
