using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Transport;

/// <summary>
/// Opens framed, authenticated connections to a <see cref="TransportServer"/>: a TCP connect within
/// <see cref="TransportOptions.ConnectTimeout"/>, then the handshake within <see cref="TransportOptions.HandshakeTimeout"/>.
/// Thread-safe; one instance serves any number of connections.
/// </summary>
public sealed partial class TransportClient
{
    private readonly TransportOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TransportClient> _logger;
    private readonly ILogger<FrameConnection> _connectionLogger;
    private readonly ClusterKey _key;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Transport settings (a cluster secret is required).</param>
    /// <param name="loggerFactory">Logs for the client and its connections.</param>
    /// <param name="timeProvider">Clock for connect, handshake and close timeouts; the system clock when null.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public TransportClient(IOptions<TransportOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = TransportOptionsValidator.ThrowIfInvalid(options);
        _key = new ClusterKey(_options.ClusterSecret);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<TransportClient>();
        _connectionLogger = loggerFactory.CreateLogger<FrameConnection>();
    }

    /// <summary>Counters over every connection this client opened.</summary>
    public TransportStatistics Statistics { get; } = new();

    /// <summary>The options in use.</summary>
    internal TransportOptions Options => _options;

    /// <summary>Connects to <paramref name="remote"/>, authenticates both ways, and starts delivering frames to <paramref name="handler"/>.</summary>
    /// <param name="remote">The server's endpoint (an <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>).</param>
    /// <param name="self">This peer's identity, proven to the server.</param>
    /// <param name="handler">Receives the connection's frames; its <see cref="IFrameHandler.OnConnectedAsync"/> has run when this returns.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The established connection.</returns>
    /// <exception cref="ConnectionRefusedException">Nothing listens at <paramref name="remote"/>.</exception>
    /// <exception cref="HandshakeFailedException">The server refused us (with its reason), or failed to prove it holds the secret.</exception>
    /// <exception cref="TimeoutException">The TCP connect or the handshake took too long.</exception>
    /// <exception cref="TransportException">Another network failure.</exception>
    public async Task<IFrameConnection> ConnectAsync(EndPoint remote, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(handler);
        self.Validate(nameof(self));

        var socket = await ConnectSocketAsync(remote, cancellationToken).ConfigureAwait(false);
        Statistics.OnConnectionAccepted();
        var context = new SocketConnection(socket, _options, kind: "client");
        context.Start();

        PeerIdentity server;
        bool sharedMemory;
        using (var deadline = new CancellationTokenSource(_options.HandshakeTimeout, _timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                (server, sharedMemory) = await new ClientHandshake(_options, _key, self).ConnectAsync(context.Transport, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await context.DisposeAsync().ConfigureAwait(false);
                if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                var failure = HandshakeFrames.Classify(e, deadline.Token, _options.HandshakeTimeout);
                Statistics.OnConnectionRefused(failure.Kind);
                LogHandshakeFailed(_logger, remote, failure.Kind, failure.Reason, failure.RefusedByServer);
                if (failure.Kind == HandshakeFailureKind.TimedOut)
                {
                    throw new TimeoutException($"the handshake with {remote} did not finish within {_options.HandshakeTimeout.TotalSeconds:0.###} s", failure);
                }

                throw failure;
            }
        }

        var connection = new FrameConnection(context, server, handler, _options, Statistics, _timeProvider, _connectionLogger, ownsContext: true, sharedMemory,
            betweenSilos: self.Role == ConnectionRole.Silo);
        try
        {
            await connection.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new TransportException($"the frame handler rejected the connection to {server}: {e.Message}", e);
        }

        LogConnected(_logger, remote, server, connection.ConnectionId);
        return connection;
    }

    private async Task<Socket> ConnectSocketAsync(EndPoint remote, CancellationToken cancellationToken)
    {
        // A DnsEndPoint has no address family; a dual-mode socket then reaches IPv4 and IPv6 addresses alike.
        var socket = remote.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var deadline = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (e is OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new TimeoutException($"connecting to {remote} took longer than {_options.ConnectTimeout.TotalSeconds:0.###} s", e);
            }

            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                throw new ConnectionRefusedException($"nothing accepts connections at {remote}", e);
            }

            if (e is SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                throw new TimeoutException($"connecting to {remote} timed out", e);
            }

            throw new TransportException($"could not connect to {remote}: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to {RemoteEndPoint} ({Server}) as connection {ConnectionId}")]
    private static partial void LogConnected(ILogger logger, EndPoint remoteEndPoint, PeerIdentity server, string connectionId);

    // Never the secret or a proof.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Handshake with {RemoteEndPoint} failed ({Failure}, refused by server: {RefusedByServer}): {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, EndPoint remoteEndPoint, HandshakeFailureKind failure, string reason, bool refusedByServer);
}
