using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GenCluster.Membership;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.Gateway;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Hosting;

/// <summary>
/// Runs a silo as a hosted service. Start: listen (silos and clients share the port), join membership, serve calls.
/// Graceful stop: tell the cluster it is leaving (no new grains come here), deactivate every grain
/// (<see cref="Grain.OnDeactivateAsync"/>), leave membership as dead, keep rejecting requests until peers have seen
/// that and forwarded client calls have finished, then close connections. If the cluster declares
/// this silo dead, it stops at once without deactivating (another silo may already own its grains) and asks the
/// application to stop.
/// </summary>
public sealed partial class SiloHost : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly IServiceProvider _services;
    private readonly SiloOptions _options;
    private readonly LocalSilo _local;
    private readonly ClusterMembership _membership;
    private readonly Catalog _catalog;
    private readonly ActivationCollector _collector;
    private readonly IFrameListener _listener;
    private readonly SiloConnections _connections;
    private readonly SiloMessageHandler _handler;
    private readonly ClientGateway _gateway;
    private readonly PendingRequestTable _requests;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SiloHost> _logger;
    private readonly TimeSpan _departureNotice;
    private MembershipAgent? _agent;
    private bool _listening;

    /// <summary>Creates the host of the silo configured in <paramref name="services"/> (see <c>AddGenClusterSilo</c>).</summary>
    public SiloHost(IServiceProvider services, IOptions<SiloOptions> options, TimeProvider timeProvider, ILogger<SiloHost> logger)
    {
        _services = services;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _local = services.GetRequiredService<LocalSilo>();
        _membership = services.GetRequiredService<ClusterMembership>();
        _catalog = services.GetRequiredService<Catalog>();
        _collector = services.GetRequiredService<ActivationCollector>();
        _listener = services.GetRequiredService<IFrameListener>();
        _connections = services.GetRequiredService<SiloConnections>();
        _handler = services.GetRequiredService<SiloMessageHandler>();
        _gateway = services.GetRequiredService<ClientGateway>();
        _requests = services.GetRequiredService<PendingRequestTable>();

        // Peers learn that this silo is dead at their next table refresh; until then they may still send to it.
        _departureNotice = 2 * services.GetRequiredService<IOptions<MembershipOptions>>().Value.TableRefreshInterval;
    }

    /// <summary>The silo's name.</summary>
    public string SiloName => _local.Name;

    /// <summary>The silo's address, once started.</summary>
    public SiloAddress? Address => _local.AddressOrNull;

    /// <summary>Where the silo is in its life.</summary>
    public SiloLifecycleStatus Status => _local.Status;

    /// <summary>Grain references whose calls start on this silo (for code hosted in the silo's process).</summary>
    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's health now.</summary>
    public SiloHealthReport GetHealth()
    {
        var view = _membership.Current;

        // Connections this silo accepted and those it opened; a silo hosted over another listener (tests) has neither.
        var transport = new[] { _services.GetService<TransportServer>()?.Statistics, _services.GetService<TransportClient>()?.Statistics }
            .OfType<TransportStatistics>().ToArray();

        // Answered before all: a poll counts itself before its answer, so this order never shows more answered than made.
        long pollsAnswered = transport.Sum(t => t.ReceivePollsAnswered);
        long polls = transport.Sum(t => t.ReceivePolls);
        return new SiloHealthReport(
            _local.Status,
            _local.Name,
            _local.AddressOrNull,
            _catalog.Count,
            _gateway.ConnectedClients,
            _requests.Count,
            view.ActiveSilos.Count,
            view.Version,
            transport.Sum(t => t.SharedMemoryLinks),
            transport.Sum(t => t.BytesSentThroughSharedMemory),
            transport.Sum(t => t.BytesReceivedThroughSharedMemory),
            polls,
            pollsAnswered);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_local.Status != SiloLifecycleStatus.Created)
            {
                throw new InvalidOperationException($"silo '{_local.Name}' was already started; a stopped silo cannot start again");
            }

            _local.Status = SiloLifecycleStatus.Starting;
            try
            {
                await ListenAsync(cancellationToken).ConfigureAwait(false);
                _agent = _services.GetRequiredService<MembershipAgent>();
                _agent.Changed += _membership.Update;
                _agent.DeclaredDead += OnDeclaredDead;
                await _agent.JoinAsync(cancellationToken).ConfigureAwait(false);
                _membership.Update(_agent.Current);
            }
            catch (Exception e)
            {
                LogStartFailed(_logger, e, _local.Name);
                _local.Status = SiloLifecycleStatus.Stopped;
                await CloseAsync(graceful: false).ConfigureAwait(false);
                throw;
            }

            _collector.Start();
            _local.Status = SiloLifecycleStatus.Active;
            LogStarted(_logger, _local.Name, _local.Address, _membership.Current.ActiveSilos.Count);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_local.Status != SiloLifecycleStatus.Active)
            {
                return;
            }

            LogStopping(_logger, _local.Name, _catalog.Count);
            _local.Status = SiloLifecycleStatus.ShuttingDown;
            using var deadline = new CancellationTokenSource(_options.ShutdownTimeout, _timeProvider);
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await StepAsync("announce shutdown", () => _agent!.BeginShutdownAsync(stopping.Token)).ConfigureAwait(false);
            await StepAsync("deactivate grains", () => _catalog.DeactivateAllAsync(DeactivationReason.ShuttingDown, stopping.Token)).ConfigureAwait(false);
            await StepAsync("leave membership", () => _agent!.ShutdownAsync(stopping.Token)).ConfigureAwait(false);
            await StepAsync("drain", () => DrainAsync(stopping.Token)).ConfigureAwait(false);
            await CloseAsync(graceful: true).ConfigureAwait(false);
            _local.Status = SiloLifecycleStatus.Stopped;
            LogStopped(_logger, _local.Name);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the silo if it still runs, as abruptly as a crash.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_local.Status is SiloLifecycleStatus.Starting or SiloLifecycleStatus.Active or SiloLifecycleStatus.ShuttingDown)
        {
            await AbortAsync("disposed while running").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the silo as if its process died: no deactivation, nothing written to membership (the agent stops
    /// heartbeats and probes), connections dropped. Other silos notice through missed probes and declare it dead.
    /// Used when the cluster declared this silo dead, and by tests to simulate a crash.
    /// </summary>
    internal async Task AbortAsync(string reason)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_local.Status is SiloLifecycleStatus.Stopped or SiloLifecycleStatus.Dead)
            {
                return;
            }

            LogAborting(_logger, _local.Name, reason, _catalog.Count);
            _local.Status = SiloLifecycleStatus.Dead;

            // The network goes first: activations cancelled afterwards must not get a reply out, as after a real crash.
            await CloseAsync(graceful: false).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var requested = _options.ListenEndpoint;
        string host = _options.AdvertisedHost
            ?? (requested.Address.Equals(IPAddress.Any) || requested.Address.Equals(IPAddress.IPv6Any)
                ? throw new InvalidOperationException($"silo '{_local.Name}' listens on all addresses; set SiloOptions.AdvertisedHost to the address other silos and clients reach it at")
                : requested.Address.ToString());

        // The silo's identity (proven in every handshake) includes its port, so port 0 is resolved before listening.
        var endpoint = requested.Port != 0 ? requested : new IPEndPoint(requested.Address, ReserveFreePort(requested.Address));
        var address = new SiloAddress(host, endpoint.Port, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["gateway"] = string.Create(CultureInfo.InvariantCulture, $"{host}:{endpoint.Port}"),
            ["devices"] = string.Join(',', _options.Devices),
        };
        _local.SetIdentity(new LocalSiloDetails(address, _local.Name, properties));
        await _listener.ListenAsync(endpoint, new PeerIdentity(ConnectionRole.Silo, _local.Name, address), _handler, cancellationToken).ConfigureAwait(false);
        _listening = true;
    }

    /// <summary>
    /// Keeps the connections open (answering "shutting down", which callers reroute) until peers have seen this silo
    /// dead and the client requests this gateway forwards have finished, so no request is lost in a closing socket.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var noticeGiven = Task.Delay(_departureNotice, _timeProvider, cancellationToken);
        for (int check = 0; _gateway.ForwardedRequests > 0 && check < 10_000; check++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        await noticeGiven.ConfigureAwait(false);
    }

    private static int ReserveFreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private async Task StepAsync(string step, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A step that fails or runs out of time must not keep the silo from leaving.
            LogStopStepFailed(_logger, e, _local.Name, step);
        }
    }

    private async Task CloseAsync(bool graceful)
    {
        _collector.Dispose();
        if (graceful)
        {
            await _connections.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _connections.AbortAll("silo stopped");
        }

        if (_listening)
        {
            _listening = false;

            // A cancelled token makes the server abort its connections instead of closing them in order.
            await _listener.StopListeningAsync(graceful ? CancellationToken.None : new CancellationToken(canceled: true)).ConfigureAwait(false);
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync().ConfigureAwait(false);
        }

        // Whatever is still activated (nothing, after a graceful stop) is dropped without a word.
        _catalog.AbortAll();
        _requests.FailWhere(_ => true, p => new SiloUnavailableException($"silo '{_local.Name}' stopped before {p.Description} finished"));
    }

    private void OnDeclaredDead()
    {
        LogDeclaredDead(_logger, _local.Name);

        // The agent raises this from its own work; stopping it from here must not wait on it.
        _ = Task.Run(async () =>
        {
            await AbortAsync("the cluster declared this silo dead").ConfigureAwait(false);
            _services.GetService<IHostApplicationLifetime>()?.StopApplication();
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo '{Name}' is active at {Address}; {ActiveSilos} active silos")]
    private static partial void LogStarted(ILogger logger, string name, SiloAddress address, int activeSilos);

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo '{Name}' failed to start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo '{Name}' is shutting down; deactivating {Activations} activations")]
    private static partial void LogStopping(ILogger logger, string name, int activations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo '{Name}' could not {Step} while shutting down; continuing")]
    private static partial void LogStopStepFailed(ILogger logger, Exception exception, string name, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo '{Name}' stopped")]
    private static partial void LogStopped(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo '{Name}' stops abruptly ({Reason}); dropping {Activations} activations")]
    private static partial void LogAborting(ILogger logger, string name, string reason, int activations);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The cluster declared silo '{Name}' dead; it stops now")]
    private static partial void LogDeclaredDead(ILogger logger, string name);
}
