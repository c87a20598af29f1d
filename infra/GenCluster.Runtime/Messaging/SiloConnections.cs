using System.Buffers;
using System.Collections.Concurrent;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Hosting;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// This silo's outgoing connections to other silos, one per silo, opened on first use. Requests go out on them and
/// their replies come back on them, so this class is also the frame handler of those connections: it hands replies
/// to the pending requests, and fails the requests sent to a silo whose connection is lost.
/// </summary>
internal sealed partial class SiloConnections : IFrameHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, Lazy<Task<IFrameConnection>>> _connections = new();
    private readonly ConcurrentDictionary<IFrameConnection, SiloAddress> _established = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly IFrameConnector _connector;
    private readonly LocalSilo _local;
    private readonly PendingRequestTable _requests;
    private readonly ILogger<SiloConnections> _logger;

    /// <summary>Creates an empty connection set.</summary>
    public SiloConnections(IFrameConnector connector, LocalSilo local, PendingRequestTable requests, ILogger<SiloConnections> logger)
    {
        _connector = connector;
        _local = local;
        _requests = requests;
        _logger = logger;
    }

    /// <summary>An open connection to <paramref name="silo"/>, connecting if there is none.</summary>
    /// <exception cref="SiloUnavailableException">The silo cannot be reached, or another incarnation answers on its endpoint.</exception>
    public async ValueTask<IFrameConnection> GetAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var connecting = _connections.GetOrAdd(silo, s => new Lazy<Task<IFrameConnection>>(() => ConnectAsync(s)));
            IFrameConnection connection;
            try
            {
                connection = await connecting.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SiloUnavailableException)
            {
                _connections.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<IFrameConnection>>>(silo, connecting));
                throw;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _connections.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<IFrameConnection>>>(silo, connecting));
                throw new SiloUnavailableException($"cannot connect to silo {silo}: {e.Message}", e);
            }

            if (connection.IsConnected)
            {
                return connection;
            }

            _connections.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<IFrameConnection>>>(silo, connecting));
        }

        throw new SiloUnavailableException($"the connection to silo {silo} closed as soon as it opened");
    }

    /// <summary>Drops the connection to <paramref name="silo"/> (it died).</summary>
    public void Abort(SiloAddress silo, string reason)
    {
        if (_connections.TryRemove(silo, out var connecting) && connecting.IsValueCreated && connecting.Value.IsCompletedSuccessfully)
        {
            connecting.Value.Result.Abort(reason);
        }
    }

    /// <summary>Drops every connection at once (the silo is dying).</summary>
    public void AbortAll(string reason)
    {
        _stopping.Cancel();
        foreach (var silo in _connections.Keys)
        {
            Abort(silo, reason);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        var open = _connections.Values
            .Where(c => c.IsValueCreated && c.Value.IsCompletedSuccessfully)
            .Select(c => c.Value.Result)
            .ToList();
        _connections.Clear();
        foreach (var connection in open)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
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

        switch (message.Kind)
        {
            case MessageKind.Response or MessageKind.Error or MessageKind.StreamItem or MessageKind.StreamEnd or MessageKind.Pong:
                // A grain waiting for this reply continues here, up to its next await, if its activation is idle.
                using (ActivationTaskScheduler.AllowInlineTurns())
                {
                    _requests.TryDeliver(message);
                }

                break;
            default:
                // Requests travel on the connection their sender opened, never on ours.
                LogUnexpectedMessage(_logger, message.Kind, connection.Remote);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    ValueTask IFrameHandler.OnDisconnectedAsync(IFrameConnection connection, Exception? error)
    {
        if (!_established.TryRemove(connection, out var silo))
        {
            return ValueTask.CompletedTask;
        }

        if (_connections.TryGetValue(silo, out var connecting)
            && connecting.IsValueCreated
            && connecting.Value.IsCompletedSuccessfully
            && ReferenceEquals(connecting.Value.Result, connection))
        {
            _connections.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<IFrameConnection>>>(silo, connecting));
        }

        string why = error is null ? "closed" : $"lost ({error.Message})";
        int failed = _requests.FailWhere(
            p => p.Destination == silo,
            p => new SiloUnavailableException($"the connection to silo {silo} was {why} before {p.Description} finished; it may or may not have run"));
        LogDisconnected(_logger, silo, why, failed);
        return ValueTask.CompletedTask;
    }

    private async Task<IFrameConnection> ConnectAsync(SiloAddress silo)
    {
        var self = new PeerIdentity(ConnectionRole.Silo, _local.Name, _local.Address);
        var connection = await _connector.ConnectAsync(SiloEndpoints.Of(silo), self, this, _stopping.Token).ConfigureAwait(false);
        if (connection.Remote.Silo != silo)
        {
            connection.Abort("not the silo we wanted");
            throw new SiloUnavailableException($"silo {silo} is gone: {connection.Remote} now listens on its endpoint");
        }

        _established[connection] = silo;
        LogConnected(_logger, silo);
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to silo {Silo}")]
    private static partial void LogConnected(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection to silo {Silo} {Why}; {Failed} pending requests failed")]
    private static partial void LogDisconnected(ILogger logger, SiloAddress silo, string why, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping the connection to {Peer}: it sent an invalid message")]
    private static partial void LogInvalidMessage(ILogger logger, Exception exception, PeerIdentity peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a {Kind} message from {Peer} on an outgoing connection")]
    private static partial void LogUnexpectedMessage(ILogger logger, MessageKind kind, PeerIdentity peer);
}
