using System.Net;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport;

/// <summary>
/// One shared connection per remote endpoint: concurrent callers asking for the same endpoint share one connect
/// attempt and then one connection; a connection that closed (or a connect that failed) is replaced on the next
/// request, so callers reconnect after a loss simply by asking again.
/// </summary>
public sealed partial class ConnectionPool : IAsyncDisposable
{
    private readonly TransportClient _client;
    private readonly PeerIdentity _self;
    private readonly IFrameHandler _handler;
    private readonly ILogger<ConnectionPool> _logger;
    private readonly Dictionary<EndPoint, Task<IFrameConnection>> _connections = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Creates a pool.</summary>
    /// <param name="client">Opens the connections.</param>
    /// <param name="self">This peer's identity, used for every connection.</param>
    /// <param name="handler">Receives the frames of every pooled connection.</param>
    /// <param name="logger">Logs connects and losses.</param>
    public ConnectionPool(TransportClient client, PeerIdentity self, IFrameHandler handler, ILogger<ConnectionPool> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        self.Validate(nameof(self));
        _client = client;
        _self = self;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>
    /// Returns the open connection to <paramref name="remote"/>, connecting first if there is none (or it was lost).
    /// </summary>
    /// <param name="remote">The server's endpoint.</param>
    /// <param name="cancellationToken">Stops this caller waiting; a connect shared with other callers carries on.</param>
    /// <exception cref="ConnectionRefusedException">Nothing listens there.</exception>
    /// <exception cref="HandshakeFailedException">The handshake failed.</exception>
    /// <exception cref="TimeoutException">Connecting took too long.</exception>
    /// <exception cref="TransportException">The connection closed right after it was opened, or another network failure.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public ValueTask<IFrameConnection> GetAsync(EndPoint remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_connections.TryGetValue(remote, out var existing) && existing.IsCompletedSuccessfully && existing.Result.IsConnected)
            {
                return new ValueTask<IFrameConnection>(existing.Result);
            }
        }

        return new ValueTask<IFrameConnection>(GetOrConnectAsync(remote, cancellationToken));
    }

    /// <summary>Closes every pooled connection in order; later <see cref="GetAsync"/> calls fail.</summary>
    public async ValueTask DisposeAsync()
    {
        Task<IFrameConnection>[] pending;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            pending = [.. _connections.Values];
            _connections.Clear();
        }

        await Task.WhenAll(pending.Select(CloseAsync)).ConfigureAwait(false);
    }

    private static async Task CloseAsync(Task<IFrameConnection> attempt)
    {
        IFrameConnection connection;
        try
        {
            connection = await attempt.ConfigureAwait(false);
        }
        catch (Exception e) when (e is TransportException or TimeoutException or OperationCanceledException)
        {
            return; // the connect failed or was cancelled: nothing to close
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IFrameConnection> GetOrConnectAsync(EndPoint remote, CancellationToken cancellationToken)
    {
        Task<IFrameConnection> attempt;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (!_connections.TryGetValue(remote, out attempt!) || IsUnusable(attempt))
            {
                attempt = ConnectAsync(remote);
                _connections[remote] = attempt;
            }
        }

        var connection = await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            throw new ConnectionClosedException($"the connection to {remote} closed as soon as it was opened");
        }

        return connection;
    }

    private static bool IsUnusable(Task<IFrameConnection> attempt) =>
        attempt.IsFaulted || attempt.IsCanceled || (attempt.IsCompletedSuccessfully && !attempt.Result.IsConnected);

    private async Task<IFrameConnection> ConnectAsync(EndPoint remote)
    {
        // Yield first, so the attempt is stored in the table before it can complete (and remove itself on failure).
        await Task.Yield();
        IFrameConnection connection;
        try
        {
            connection = await _client.ConnectAsync(remote, _self, _handler, _disposed.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogConnectFailed(_logger, remote, e.Message);
            Forget(remote);
            throw;
        }

        LogConnected(_logger, remote, connection.Remote);
        _ = connection.Closed.ContinueWith(
            static (_, state) =>
            {
                var (pool, endpoint) = ((ConnectionPool, EndPoint))state!;
                pool.LogLost(endpoint);
                pool.Forget(endpoint);
            },
            (this, remote),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return connection;
    }

    // Removes the entry for remote if it is finished (failed, or its connection closed) — never a newer attempt.
    private void Forget(EndPoint remote)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(remote, out var current) && current.IsCompleted && IsUnusable(current))
            {
                _connections.Remove(remote);
            }
        }
    }

    private void LogLost(EndPoint remote) => LogConnectionLost(_logger, remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pooled a new connection to {RemoteEndPoint} ({Server})")]
    private static partial void LogConnected(ILogger logger, EndPoint remoteEndPoint, PeerIdentity server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pooled connection to {RemoteEndPoint} closed; the next request reconnects")]
    private static partial void LogConnectionLost(ILogger logger, EndPoint remoteEndPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to {RemoteEndPoint} failed: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, EndPoint remoteEndPoint, string reason);
}
