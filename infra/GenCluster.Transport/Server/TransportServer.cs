using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Transport;

/// <summary>
/// Accepts framed, authenticated connections from silos and clients on one TCP endpoint. Underneath is a Kestrel
/// connection handler in a small in-process host that this server creates and owns.
/// </summary>
public sealed partial class TransportServer : IAsyncDisposable
{
    private readonly TransportOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TransportServer> _logger;
    private readonly ClusterKey _key;
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);
    private WebApplication? _host;
    private FrameConnectionHandler? _connectionHandler;
    private bool _started;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Transport settings (a cluster secret is required).</param>
    /// <param name="loggerFactory">Logs for the server, its connections and Kestrel.</param>
    /// <param name="timeProvider">Clock for handshake and close timeouts; the system clock when null.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public TransportServer(IOptions<TransportOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = TransportOptionsValidator.ThrowIfInvalid(options);
        _key = new ClusterKey(_options.ClusterSecret);
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<TransportServer>();
    }

    /// <summary>Counters over every connection this server accepted.</summary>
    public TransportStatistics Statistics { get; } = new();

    /// <summary>The endpoint the server listens on once started (with the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The established connections that are still open.</summary>
    public IReadOnlyCollection<IFrameConnection> Connections =>
        _connectionHandler is { } handler ? handler.Connections.ToArray() : [];

    /// <summary>Binds <paramref name="endpoint"/> and starts accepting connections.</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="self">This server's identity, sent (with its proof) to every peer.</param>
    /// <param name="handler">Receives the connections and their frames.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The bound endpoint.</returns>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    /// <exception cref="IOException">The endpoint cannot be bound (e.g. the port is in use).</exception>
    public async Task<IPEndPoint> StartAsync(IPEndPoint endpoint, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(handler);
        self.Validate(nameof(self));

        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                throw new InvalidOperationException("the transport server was already started; create a new one to listen again");
            }

            _started = true;
            _connectionHandler = new FrameConnectionHandler(_options, _key, self, handler, Statistics, _timeProvider, _loggerFactory);
            ListenOptions? listen = null;
            var host = BuildHost(endpoint, _connectionHandler, bound => listen = bound);
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _host = host;
            LocalEndPoint = listen?.IPEndPoint ?? endpoint;
            LogStarted(_logger, LocalEndPoint, self, _options.ClusterId, _options.ProtocolVersion);
            return LocalEndPoint;
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>
    /// Stops listening, closes every connection in order (queued frames are sent first) and waits for them, up to
    /// <see cref="TransportOptions.GracefulCloseTimeout"/> or <paramref name="cancellationToken"/>; connections still
    /// open then are aborted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycleLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_host is not { } host)
            {
                return;
            }

            _host = null;
            _connectionHandler!.BeginStopping();
            using var deadline = new CancellationTokenSource(_options.GracefulCloseTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await host.StopAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The grace period ran out: Kestrel has aborted the connections that were still open.
            }
            finally
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            LogStopped(_logger, LocalEndPoint, Statistics.ToString());
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private WebApplication BuildHost(IPEndPoint endpoint, FrameConnectionHandler connectionHandler, Action<ListenOptions> onListen)
    {
        // The empty builder reads no configuration, environment or command line: nothing outside these options
        // (an ASPNETCORE_URLS variable, say) can make this host listen anywhere else.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(TransportServer).Assembly.GetName().Name });
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(connectionHandler);
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton<IConnectionListenerFactory>(new SocketListenerFactory(_options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen =>
            {
                listen.UseConnectionHandler<FrameConnectionHandler>();
                onListen(listen);
            });
        });
        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transport server listening on {EndPoint} as {Self} (cluster {ClusterId}, protocol {ProtocolVersion})")]
    private static partial void LogStarted(ILogger logger, IPEndPoint endPoint, PeerIdentity self, string clusterId, int protocolVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transport server on {EndPoint} stopped: {Statistics}")]
    private static partial void LogStopped(ILogger logger, IPEndPoint? endPoint, string statistics);
}
