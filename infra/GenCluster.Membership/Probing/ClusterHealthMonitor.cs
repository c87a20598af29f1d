using GenCluster.Runtime;
using Microsoft.Extensions.Logging;

namespace GenCluster.Membership;

/// <summary>
/// Watches the silos this one is responsible for: probes its ring successors every period, counts consecutive
/// misses, and votes against a target that missed <see cref="MembershipOptions.MissedProbesLimit"/> in a row.
/// Also votes against any silo whose heartbeat in the table went stale, probed by this silo or not.
/// </summary>
internal sealed partial class ClusterHealthMonitor
{
    private readonly MembershipTableManager _tableManager;
    private readonly ISiloProber _prober;
    private readonly SiloAddress _self;
    private readonly MembershipOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly MissedProbeTracker _missedProbes = new();
    private IReadOnlyList<SiloAddress> _targets = [];

    public ClusterHealthMonitor(
        MembershipTableManager tableManager,
        ISiloProber prober,
        SiloAddress self,
        MembershipOptions options,
        ILogger logger,
        TimeProvider timeProvider)
    {
        _tableManager = tableManager;
        _prober = prober;
        _self = self;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>The silos probed in the latest round.</summary>
    public IReadOnlyList<SiloAddress> Targets => Volatile.Read(ref _targets);

    /// <summary>The consecutive missed probes of <paramref name="target"/>.</summary>
    public int ConsecutiveMisses(SiloAddress target) => _missedProbes.ConsecutiveMisses(target);

    /// <summary>One round: picks the targets from the current view and probes them all at once.</summary>
    public Task ProbeTargetsAsync(CancellationToken ct)
    {
        var active = _tableManager.Current.Active.Select(entry => entry.Silo);
        var targets = ProbeTargetRing.SelectTargets(active, _self, _options.ProbedSilosPerSilo);
        var previous = Interlocked.Exchange(ref _targets, targets);
        if (!previous.SequenceEqual(targets))
        {
            LogProbeTargetsChanged(_logger, _self, string.Join(", ", targets));
        }

        _missedProbes.Retain(targets);
        return Task.WhenAll(targets.Select(target => ProbeAsync(target, ct)));
    }

    /// <summary>Votes against every silo other than this one whose heartbeat in <paramref name="table"/> is stale.</summary>
    public async Task SuspectStaleSilosAsync(MembershipTableSnapshot table, CancellationToken ct)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var row in table.Rows)
        {
            var entry = row.Entry;
            if (entry.Silo != _self && entry.Status != SiloStatus.Dead && DeathVoteTally.IsIAmAliveStale(entry, now, _options))
            {
                LogStaleHeartbeat(_logger, entry.Silo, (now - entry.IAmAliveTime).TotalSeconds);
                await _tableManager.VoteAgainstAsync(entry.Silo, "stale heartbeat", ct);
            }
        }
    }

    /// <summary>
    /// Before this silo becomes active (Orleans' initial connectivity validation): probes every other silo that
    /// <paramref name="table"/> shows active with a fresh heartbeat, re-reading the table every probe interval, until
    /// all answer or <see cref="MembershipOptions.InitialConnectivityTimeout"/> passes. A silo that cannot reach its
    /// peers (a wrong cluster secret, another protocol version, a firewall) would otherwise be active — and given
    /// grains — until they voted it dead.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some active silos never answered; names them.</exception>
    public async Task ValidateInitialConnectivityAsync(MembershipTableSnapshot table, CancellationToken ct)
    {
        var deadline = _timeProvider.GetUtcNow() + _options.InitialConnectivityTimeout;
        while (true)
        {
            var now = _timeProvider.GetUtcNow();
            var peers = table.Rows.Select(row => row.Entry)
                .Where(entry => entry.Silo != _self && entry.Status == SiloStatus.Active && !DeathVoteTally.IsIAmAliveStale(entry, now, _options))
                .Select(entry => entry.Silo)
                .ToList();
            var answers = await Task.WhenAll(peers.Select(peer => ProbeWithTimeoutAsync(peer, ct)));
            var unreachable = peers.Where((_, i) => !answers[i]).ToList();
            if (unreachable.Count == 0)
            {
                return;
            }

            if (_timeProvider.GetUtcNow() >= deadline)
            {
                throw new InvalidOperationException(
                    $"silo {_self} did not become active: the active silo(s) {string.Join(", ", unreachable)} did not answer its probes within "
                    + $"{_options.InitialConnectivityTimeout.TotalSeconds:0.#} s (check that both sides use the same cluster secret and protocol version, and that the silo ports are reachable)");
            }

            LogUnreachableWhileJoining(_logger, _self, string.Join(", ", unreachable));
            await Task.Delay(_options.ProbeInterval, _timeProvider, ct);
            table = await _tableManager.RefreshAsync(ct);
            if (table.Find(_self)?.Entry.Status == SiloStatus.Dead)
            {
                throw new InvalidOperationException(
                    $"silo {_self} did not become active: the cluster declared it dead while it could not reach the active silo(s) {string.Join(", ", unreachable)}");
            }
        }
    }

    private async Task ProbeAsync(SiloAddress target, CancellationToken ct)
    {
        var probe = _missedProbes.BeginProbe(target);
        var answered = await ProbeWithTimeoutAsync(target, ct);
        var misses = _missedProbes.RecordResult(target, probe, answered);
        if (answered || misses is null)
        {
            return;
        }

        LogProbeMissed(_logger, target, misses.Value, _options.MissedProbesLimit);
        if (misses >= _options.MissedProbesLimit)
        {
            await _tableManager.VoteAgainstAsync(target, $"{misses} missed probes", ct);
        }
    }

    /// <summary>The prober's answer, or false when it failed or did not answer within the timeout.</summary>
    private async Task<bool> ProbeWithTimeoutAsync(SiloAddress target, CancellationToken ct)
    {
        // The timeout runs on the injected clock, and the agent stops waiting then even if the prober does not.
        using var giveUp = new CancellationTokenSource(_options.ProbeTimeout, _timeProvider);
        using var onStop = ct.Register(static state => ((CancellationTokenSource)state!).Cancel(), giveUp);
        try
        {
            return await _prober.ProbeAsync(target, _options.ProbeTimeout, giveUp.Token).WaitAsync(giveUp.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProbeFailed(_logger, e, target);
            return false;
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Silo {Silo} now probes {Targets}")]
    private static partial void LogProbeTargetsChanged(ILogger logger, SiloAddress silo, string targets);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Probe of {Target} missed: {Misses} in a row (limit {Limit})")]
    private static partial void LogProbeMissed(ILogger logger, SiloAddress target, int misses, int limit);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Probe of {Target} failed")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, SiloAddress target);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Silo {Silo} is joining but cannot reach the active silo(s) {Unreachable}; probing again")]
    private static partial void LogUnreachableWhileJoining(ILogger logger, SiloAddress silo, string unreachable);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Silo {Silo} has not written a heartbeat for {Seconds:0.0} s")]
    private static partial void LogStaleHeartbeat(ILogger logger, SiloAddress silo, double seconds);
}
