using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport;

/// <summary>
/// The Kestrel connection handler behind a <see cref="TransportServer"/>: for each accepted TCP connection it runs the
/// server handshake within <see cref="TransportOptions.HandshakeTimeout"/>, refuses (with a reason frame) and logs
/// peers that fail it, and runs an established <see cref="FrameConnection"/> until it closes.
/// </summary>
internal sealed partial class FrameConnectionHandler : ConnectionHandler
{
    private readonly TransportOptions _options;
    private readonly ServerHandshake _handshake;
    private readonly IFrameHandler _handler;
    private readonly TransportStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ILogger _connectionLogger;
    private readonly ConcurrentDictionary<FrameConnection, byte> _connections = new();
    private volatile bool _stopping;

    public FrameConnectionHandler(
        TransportOptions options,
        ClusterKey key,
        PeerIdentity self,
        IFrameHandler handler,
        TransportStatistics statistics,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _options = options;
        _handshake = new ServerHandshake(options, key, self);
        _handler = handler;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<TransportServer>();
        _connectionLogger = loggerFactory.CreateLogger<FrameConnection>();
    }

    /// <summary>The established connections that are still open.</summary>
    public ICollection<FrameConnection> Connections => _connections.Keys;

    /// <summary>Refuses new peers and starts closing every established connection in order.</summary>
    public void BeginStopping()
    {
        _stopping = true;
        foreach (var connection in _connections.Keys)
        {
            connection.BeginGracefulClose();
        }
    }

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        _statistics.OnConnectionAccepted();
        if (await AuthenticateAsync(context).ConfigureAwait(false) is not var (remote, sharedMemory))
        {
            return;
        }

        var connection = new FrameConnection(context, remote, _handler, _options, _statistics, _timeProvider, _connectionLogger, ownsContext: false, sharedMemory,
            betweenSilos: remote.Role == ConnectionRole.Silo);
        _connections.TryAdd(connection, 0);

        // Kestrel asks connections to close when it stops; close ours in order then.
        var lifetime = context.Features.Get<IConnectionLifetimeNotificationFeature>();
        using var stopRegistration = lifetime?.ConnectionClosedRequested.Register(static state => ((FrameConnection)state!).BeginGracefulClose(), connection);
        try
        {
            if (_stopping)
            {
                connection.BeginGracefulClose();
            }

            await connection.StartAsync().ConfigureAwait(false);
            await connection.Completion.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // StartAsync already closed the connection and logged the handler's failure; Kestrel must not see it.
            LogConnectionEndedWithError(_logger, e, context.ConnectionId);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task<(PeerIdentity Client, bool SharedMemory)?> AuthenticateAsync(ConnectionContext context)
    {
        using var deadline = new CancellationTokenSource(_options.HandshakeTimeout, _timeProvider);
        HandshakeFailedException failure;
        try
        {
            if (_stopping)
            {
                throw new HandshakeFailedException(HandshakeFailureKind.ShuttingDown, "the server is shutting down");
            }

            return await _handshake.AcceptAsync(context.Transport, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = HandshakeFrames.Classify(e, deadline.Token, _options.HandshakeTimeout);
        }

        _statistics.OnConnectionRefused(failure.Kind);
        if (failure.Kind == HandshakeFailureKind.ConnectionLost)
        {
            // Usually a port probe (health check, scanner) that connects and hangs up.
            LogHandshakeAbandoned(_logger, context.ConnectionId, context.RemoteEndPoint, failure.Reason);
            return null;
        }

        LogRefused(_logger, context.ConnectionId, context.RemoteEndPoint, failure.Kind, failure.Reason);
        await ServerHandshake.TryRefuseAsync(context.Transport.Output, failure, TimeSpan.FromSeconds(1), _timeProvider).ConfigureAwait(false);
        return null;
    }

    // Never the secret or a proof: only what the peer claimed and why it failed.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused connection {ConnectionId} from {RemoteEndPoint} ({Failure}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string connectionId, EndPoint? remoteEndPoint, HandshakeFailureKind failure, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} from {RemoteEndPoint} closed during the handshake: {Reason}")]
    private static partial void LogHandshakeAbandoned(ILogger logger, string connectionId, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended with an error")]
    private static partial void LogConnectionEndedWithError(ILogger logger, Exception exception, string connectionId);
}
