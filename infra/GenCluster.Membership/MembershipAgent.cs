using GenCluster.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Membership;

/// <summary>
/// This silo's part in the cluster membership protocol (Orleans' membership agent): joins the table, writes
/// heartbeats, probes its ring successors, votes against silos that stop answering, keeps a current view of the
/// cluster, and tells the host when the cluster has declared this silo dead.
/// </summary>
/// <remarks>
/// Event handlers run on a thread-pool thread inside the agent's periodic work: keep them short, and do not
/// block in them on the agent (start <see cref="DisposeAsync"/> from <see cref="DeclaredDead"/>, don't wait for it there).
/// </remarks>
public sealed partial class MembershipAgent : IAsyncDisposable
{
    private readonly MembershipTableManager _tableManager;
    private readonly ClusterHealthMonitor _healthMonitor;
    private readonly PeriodicWork _probing;
    private readonly PeriodicWork _refreshing;
    private readonly PeriodicWork _heartbeating;
    private readonly ILogger<MembershipAgent> _logger;
    private readonly Lock _lifecycleLock = new();
    private Phase _phase = Phase.Created;

    /// <summary>Creates the agent; nothing happens until <see cref="JoinAsync"/>.</summary>
    /// <exception cref="OptionsValidationException">The options are not usable (see <see cref="MembershipOptionsValidator"/>).</exception>
    public MembershipAgent(
        IMembershipTable table,
        ISiloProber prober,
        LocalSiloDetails localSilo,
        IOptions<MembershipOptions> options,
        ILogger<MembershipAgent> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(localSilo);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var settings = options.Value;
        var validation = new MembershipOptionsValidator().Validate(Options.DefaultName, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MembershipOptions), validation.Failures);
        }

        LocalSilo = localSilo;
        _logger = logger;
        _tableManager = new MembershipTableManager(table, localSilo, settings, logger, timeProvider, RaiseChanged, OnDeclaredDead);
        _healthMonitor = new ClusterHealthMonitor(_tableManager, prober, localSilo.Address, settings, logger, timeProvider);

        // Probe rounds may overlap (a probe may take as long as the interval); table reads and heartbeats wait their turn.
        _probing = new PeriodicWork("probing", settings.ProbeInterval, _healthMonitor.ProbeTargetsAsync, allowOverlap: true, timeProvider, logger);
        _refreshing = new PeriodicWork("table refresh", settings.TableRefreshInterval, RefreshAsync, allowOverlap: false, timeProvider, logger);
        _heartbeating = new PeriodicWork("heartbeat", settings.IAmAliveInterval, _tableManager.HeartbeatAsync, allowOverlap: false, timeProvider, logger);
    }

    private enum Phase
    {
        Created,
        Joining,
        Active,
        ShuttingDown,
        Stopped,
    }

    /// <summary>Raised with every newer table version this silo observes (joins, status changes, votes).</summary>
    public event Action<MembershipSnapshot>? Changed;

    /// <summary>
    /// Raised once when this silo reads itself <see cref="SiloStatus.Dead"/> in the table after having been
    /// active (voted dead, or superseded by a newer generation): the agent has stopped, and the host must stop too.
    /// </summary>
    public event Action? DeclaredDead;

    /// <summary>Who this silo is.</summary>
    public LocalSiloDetails LocalSilo { get; }

    /// <summary>The cluster as last read from the table (all rows, heartbeats included); empty before joining.</summary>
    public MembershipSnapshot Current => _tableManager.Current;

    /// <summary>The silos this silo probes (its successors on the ring of active silos), as of the latest round.</summary>
    public IReadOnlyList<SiloAddress> ProbeTargets => _healthMonitor.Targets;

    /// <summary>
    /// Whether <paramref name="silo"/> is known to be gone: its row is <see cref="SiloStatus.Dead"/>, or a newer
    /// generation on its endpoint has joined. Calls to such a silo should fail fast. A silo with no row is not
    /// known dead (it may not have joined yet).
    /// </summary>
    public bool IsDead(SiloAddress silo) => _tableManager.IsDead(silo);

    /// <summary>
    /// Joins the cluster: marks older generations of this endpoint dead, writes this silo
    /// <see cref="SiloStatus.Joining"/>, probes every active silo until all answer (or
    /// <see cref="MembershipOptions.InitialConnectivityTimeout"/> passes), then writes <see cref="SiloStatus.Active"/>, and
    /// starts heartbeats, probes and table refreshes.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice, after shutdown, or the table does not allow this silo to join
    /// (a newer generation of its endpoint exists, or its row is already dead), or it cannot reach the active silos.</exception>
    public async Task JoinAsync(CancellationToken ct)
    {
        lock (_lifecycleLock)
        {
            if (_phase != Phase.Created)
            {
                throw new InvalidOperationException($"silo {LocalSilo.Address} cannot join: it is {_phase}");
            }

            _phase = Phase.Joining;
        }

        try
        {
            await _tableManager.JoinAsync(_healthMonitor.ValidateInitialConnectivityAsync, ct);
        }
        catch
        {
            lock (_lifecycleLock)
            {
                if (_phase == Phase.Joining)
                {
                    _phase = Phase.Created;
                }
            }

            throw;
        }

        lock (_lifecycleLock)
        {
            if (_phase != Phase.Joining)
            {
                // Disposed (or declared dead) while joining: start nothing.
                return;
            }

            _phase = Phase.Active;
            _refreshing.Start();
            _heartbeating.Start();
            _probing.Start();
        }

        LogActive(_logger, LocalSilo.Address, Current.Active.Count(), Current.Version);
    }

    /// <summary>
    /// Starts leaving: writes <see cref="SiloStatus.ShuttingDown"/> so no new grains are placed here, and stops
    /// probing (a leaving silo casts no votes). Heartbeats and table refreshes go on until <see cref="ShutdownAsync"/>.
    /// </summary>
    public async Task BeginShutdownAsync(CancellationToken ct)
    {
        lock (_lifecycleLock)
        {
            if (_phase == Phase.Created)
            {
                _phase = Phase.Stopped;
                return;
            }

            if (_phase != Phase.Active)
            {
                return;
            }

            _phase = Phase.ShuttingDown;
        }

        await _probing.StopAsync();
        await _tableManager.AdvanceOwnStatusAsync(SiloStatus.ShuttingDown, ct);
    }

    /// <summary>
    /// Leaves the cluster gracefully: <see cref="SiloStatus.ShuttingDown"/> (if <see cref="BeginShutdownAsync"/> has
    /// not been called), then <see cref="SiloStatus.Dead"/>, and stops all periodic work. Peers see the silo dead
    /// at their next table refresh, without votes. Does nothing if the silo never joined or was declared dead.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken ct)
    {
        await BeginShutdownAsync(ct);
        lock (_lifecycleLock)
        {
            if (_phase != Phase.ShuttingDown)
            {
                return;
            }

            _phase = Phase.Stopped;
        }

        LogLeaving(_logger, LocalSilo.Address);
        await StopPeriodicWorkAsync();
        var left = await _tableManager.AdvanceOwnStatusAsync(SiloStatus.Dead, ct);
        LogLeft(_logger, LocalSilo.Address, left);
    }

    /// <summary>
    /// Stops all periodic work without writing anything: to peers this looks like a crash, and they will declare the
    /// silo dead. Call <see cref="ShutdownAsync"/> first to leave gracefully.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lifecycleLock)
        {
            _phase = Phase.Stopped;
        }

        await _probing.DisposeAsync();
        await _refreshing.DisposeAsync();
        await _heartbeating.DisposeAsync();
    }

    /// <summary>Completes when no periodic work is running (tests: after moving a manual clock).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_probing.WhenIdleAsync(), _refreshing.WhenIdleAsync(), _heartbeating.WhenIdleAsync());

    /// <summary>The consecutive missed probes of <paramref name="target"/> (tests).</summary>
    internal int ConsecutiveMisses(SiloAddress target) => _healthMonitor.ConsecutiveMisses(target);

    private async Task RefreshAsync(CancellationToken ct)
    {
        var table = await _tableManager.RefreshAsync(ct);
        if (!ct.IsCancellationRequested)
        {
            await _healthMonitor.SuspectStaleSilosAsync(table, ct);
        }
    }

    private async Task StopPeriodicWorkAsync()
    {
        await _probing.StopAsync();
        await _refreshing.StopAsync();
        await _heartbeating.StopAsync();
    }

    private void OnDeclaredDead()
    {
        lock (_lifecycleLock)
        {
            _phase = Phase.Stopped;
        }

        // Called from inside periodic work: stop without waiting for ourselves. A dead silo writes nothing more.
        _probing.Stop();
        _refreshing.Stop();
        _heartbeating.Stop();
        foreach (var handler in DeclaredDead?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                LogHandlerFailed(_logger, e, nameof(DeclaredDead));
            }
        }
    }

    private void RaiseChanged(MembershipSnapshot snapshot)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<MembershipSnapshot>>() ?? [])
        {
            try
            {
                handler(snapshot);
            }
            catch (Exception e)
            {
                LogHandlerFailed(_logger, e, nameof(Changed));
            }
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Silo {Silo} is active: {ActiveSilos} active silos at table version {Version}")]
    private static partial void LogActive(ILogger logger, SiloAddress silo, int activeSilos, long version);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Silo {Silo} is leaving the cluster")]
    private static partial void LogLeaving(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Silo {Silo} left the cluster (row written dead: {Written})")]
    private static partial void LogLeft(ILogger logger, SiloAddress silo, bool written);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "A handler of MembershipAgent.{Event} threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string @event);
}
