using System.Buffers;
using System.Net;
using GenCluster.MessagePack;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Client;

/// <summary>
/// A client's connection to the cluster: one gateway at a time, chosen from the configured list. When the connection
/// is lost, the requests in flight fail (their outcome is unknown) and the next request connects to the next
/// gateway in the list, wrapping around.
/// </summary>
internal sealed partial class GatewayConnector : IRequestSender, IFrameHandler, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly IReadOnlyList<EndPoint> _gateways;
    private readonly PeerIdentity _self;
    private readonly string _clientId;
    private readonly IFrameConnector _connector;
    private readonly PendingRequestTable _requests;
    private readonly ILogger _logger;
    private volatile IFrameConnection? _connection;
    private EndPoint? _gateway;
    private int _nextGateway;
    private bool _disposed;

    /// <summary>Creates a connector over <paramref name="gateways"/>.</summary>
    public GatewayConnector(IReadOnlyList<EndPoint> gateways, PeerIdentity self, string clientId, IFrameConnector connector, PendingRequestTable requests, ILogger logger)
    {
        _gateways = gateways;
        _self = self;
        _clientId = clientId;
        _connector = connector;
        _requests = requests;
        _logger = logger;
    }

    /// <summary>The gateway currently connected to, if any.</summary>
    public EndPoint? Gateway => _connection is { IsConnected: true } ? _gateway : null;

    /// <summary>An open connection to a gateway, connecting to the next reachable one if there is none.</summary>
    /// <exception cref="SiloUnavailableException">No gateway is reachable (the message lists every endpoint tried and why).</exception>
    public async ValueTask<IFrameConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsConnected: true } current)
        {
            return current;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsConnected: true } connected)
            {
                return connected;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            var failures = new List<string>();
            for (int attempt = 0; attempt < _gateways.Count; attempt++)
            {
                int index = (_nextGateway + attempt) % _gateways.Count;
                var endpoint = _gateways[index];
                try
                {
                    var connection = await _connector.ConnectAsync(endpoint, _self, this, cancellationToken).ConfigureAwait(false);
                    _gateway = endpoint;
                    _nextGateway = (index + 1) % _gateways.Count;
                    _connection = connection;
                    LogConnected(_logger, endpoint, connection.Remote);
                    return connection;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failures.Add($"{endpoint} ({e.Message})");
                }
            }

            throw new SiloUnavailableException($"no gateway of the cluster is reachable; tried {string.Join(", ", failures)}");
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <inheritdoc />
    public long NextMessageId() => _requests.NextId();

    /// <inheritdoc />
    public void SendRequest(Message request, IResponseSink sink, TimeSpan? timeout, string what, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(request with { SendingClient = _clientId }, sink, what);
        _requests.Add(pending, timeout, cancellationToken, SendCancel);
        _ = SendAsync(pending, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SendOneWayAsync(Message request, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        await SendOrThrowAsync(connection, request with { SendingClient = _clientId }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void AbandonRequest(long requestId)
    {
        if (_requests.TryRemove(requestId, out var pending))
        {
            SendCancel(pending);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is { } connection)
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }

        _requests.FailWhere(_ => true, p => new ObjectDisposedException(nameof(ClusterClient), $"the client was disposed before {p.Description} finished"));
    }

    /// <inheritdoc />
    ValueTask IFrameHandler.OnConnectedAsync(IFrameConnection connection) => ValueTask.CompletedTask;

    /// <inheritdoc />
    ValueTask IFrameHandler.OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload)
    {
        Message message;
        try
        {
            message = MessageCodec.Read(payload);
        }
        catch (InvalidMessageException e)
        {
            LogInvalidMessage(_logger, e, connection.Remote);
            connection.Abort("invalid message");
            return ValueTask.CompletedTask;
        }

        if (!_requests.TryDeliver(message))
        {
            LogUnmatchedReply(_logger, message.Kind, message.Id);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    ValueTask IFrameHandler.OnDisconnectedAsync(IFrameConnection connection, Exception? error)
    {
        if (ReferenceEquals(Interlocked.CompareExchange(ref _connection, null, connection), connection))
        {
            LogDisconnected(_logger, connection.Remote, error?.Message);
        }

        var gateway = connection.Remote.Silo;
        string why = error is null ? "closed" : $"lost ({error.Message})";
        _requests.FailWhere(
            p => p.Destination == gateway,
            p => new SiloUnavailableException($"the connection to gateway {connection.Remote} was {why} before {p.Description} finished; it may or may not have run. New calls use the next gateway."));
        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(PendingRequest pending, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            pending.Destination = connection.Remote.Silo;
            pending.Request = pending.Request with { TimeToLive = _requests.TimeLeft(pending) };
            if (!_requests.TryGet(pending.Id, out _))
            {
                return; // the caller gave up while the connection was being made
            }

            await SendOrThrowAsync(connection, pending.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _requests.TryFail(pending.Id, e);
        }
    }

    private static async ValueTask SendOrThrowAsync(IFrameConnection connection, Message message, CancellationToken cancellationToken)
    {
        try
        {
            await connection.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectionClosedException e)
        {
            throw new SiloUnavailableException($"the connection to gateway {connection.Remote} closed: {e.Message}", e);
        }
    }

    private void SendCancel(PendingRequest pending)
    {
        if (_connection is not { IsConnected: true } connection || connection.Remote.Silo != pending.Destination)
        {
            return; // the gateway it went to is gone, and it cancelled the request itself
        }

        var cancel = new Message { Id = pending.Id, Kind = MessageKind.Cancel, Target = pending.Request.Target, SendingClient = _clientId };
        _ = SendCancelAsync(connection, cancel);
    }

    private async Task SendCancelAsync(IFrameConnection connection, Message cancel)
    {
        try
        {
            await connection.SendMessageAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogCancelNotSent(_logger, e, cancel.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to gateway {Gateway} ({Silo})")]
    private static partial void LogConnected(ILogger logger, EndPoint gateway, PeerIdentity silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to gateway {Silo} ({Error}); the next call connects to another gateway")]
    private static partial void LogDisconnected(ILogger logger, PeerIdentity silo, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping the connection to {Peer}: it sent an invalid message")]
    private static partial void LogInvalidMessage(ILogger logger, Exception exception, PeerIdentity peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A {Kind} for request #{Id} arrived after the request ended")]
    private static partial void LogUnmatchedReply(ILogger logger, MessageKind kind, long id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell the gateway to cancel request #{Id}")]
    private static partial void LogCancelNotSent(ILogger logger, Exception exception, long id);
}
