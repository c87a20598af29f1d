using GenCluster.Runtime;
using Microsoft.Extensions.Logging;

namespace GenCluster.Membership;

/// <summary>
/// This silo's view of the membership table and every write it makes to it: its own status transitions,
/// heartbeats and votes against suspects. Each write is a compare-and-swap that re-reads and decides again
/// when it loses a race, a bounded number of times. Every read is published as the current snapshot.
/// </summary>
internal sealed partial class MembershipTableManager
{
    // Join does a few successful writes (supersede older generations, insert, activate); this bounds the loop
    // even if every one of them kept losing races, on top of MaxWriteAttempts for the failures.
    private const int MaxJoinSteps = 64;

    private readonly IMembershipTable _table;
    private readonly LocalSiloDetails _localSilo;
    private readonly MembershipOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Action<MembershipSnapshot> _onChanged;
    private readonly Action _onDeclaredDead;

    // The silo's own writes take turns, so its probes, staleness checks and lifecycle never race each other.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Publishing (and raising Changed) happens in table-version order under this lock.
    private readonly Lock _publishLock = new();
    private MembershipTableSnapshot? _lastTable;
    private MembershipSnapshot _current = MembershipSnapshot.Empty;
    private long _lastRaisedVersion = -1;
    private bool _ownRowSeenActive;
    private int _declaredDeadSignalled;
    private volatile bool _leavingGracefully;

    public MembershipTableManager(
        IMembershipTable table,
        LocalSiloDetails localSilo,
        MembershipOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        Action<MembershipSnapshot> onChanged,
        Action onDeclaredDead)
    {
        _table = table;
        _localSilo = localSilo;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _onChanged = onChanged;
        _onDeclaredDead = onDeclaredDead;
    }

    private SiloAddress Self => _localSilo.Address;

    /// <summary>The latest published snapshot.</summary>
    public MembershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The latest table read, with ETags and heartbeats; null before the first read.</summary>
    public MembershipTableSnapshot? LastTable
    {
        get
        {
            lock (_publishLock)
            {
                return _lastTable;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="silo"/> is known to be gone: its row says <see cref="SiloStatus.Dead"/>, or a newer
    /// generation on its endpoint has a row (so this incarnation was restarted away, marked or not yet).
    /// </summary>
    public bool IsDead(SiloAddress silo)
    {
        var current = Current;
        if (current.GetStatus(silo) == SiloStatus.Dead)
        {
            return true;
        }

        foreach (var other in current.Silos.Keys)
        {
            if (IsSameEndpoint(other, silo) && other.Generation > silo.Generation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the table and publishes what it finds.</summary>
    public async Task<MembershipTableSnapshot> RefreshAsync(CancellationToken ct)
    {
        var table = await _table.ReadAllAsync(ct);
        Publish(table);
        return table;
    }

    /// <summary>
    /// Writes this silo into the table as <see cref="SiloStatus.Joining"/>, then <see cref="SiloStatus.Active"/>,
    /// first marking older generations on the same endpoint dead. Safe to call again after a failed attempt.
    /// </summary>
    /// <exception cref="InvalidOperationException">A newer generation of this endpoint exists, this silo's row is
    /// already dead or leaving, or the table kept changing under every attempt.</exception>
    public async Task JoinAsync(Func<MembershipTableSnapshot, CancellationToken, Task> beforeActive, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var lostRaces = 0;
            for (var step = 0; step < MaxJoinSteps && lostRaces < _options.MaxWriteAttempts; step++)
            {
                var table = await RefreshAsync(ct);
                var own = table.Find(Self);
                RefuseToJoinIfSuperseded(table, own);

                var older = table.Rows.FirstOrDefault(row =>
                    IsSameEndpoint(row.Entry.Silo, Self) && row.Entry.Silo.Generation < Self.Generation && row.Entry.Status != SiloStatus.Dead);
                bool written;
                if (older is not null)
                {
                    // A process restarted on our endpoint: its predecessor is certainly gone, no vote needed.
                    written = await _table.UpdateRowAsync(older.Entry with { Status = SiloStatus.Dead }, older.ETag, table.Version, ct);
                    if (written)
                    {
                        LogSupersededOlderGeneration(_logger, older.Entry.Silo, Self);
                    }
                }
                else if (own is null)
                {
                    var now = _timeProvider.GetUtcNow();
                    var joining = new MembershipEntry(Self, _localSilo.Name, SiloStatus.Joining, now, now, [], _localSilo.Properties);
                    written = await _table.InsertRowAsync(joining, table.Version, ct);
                    if (written)
                    {
                        LogJoining(_logger, Self, _localSilo.Name);
                    }
                }
                else if (own.Entry.Status == SiloStatus.Joining)
                {
                    await beforeActive(table, ct);
                    var active = own.Entry with { Status = SiloStatus.Active, IAmAliveTime = _timeProvider.GetUtcNow() };
                    written = await _table.UpdateRowAsync(active, own.ETag, table.Version, ct);
                    if (written)
                    {
                        await RefreshAsync(ct);
                        return;
                    }
                }
                else
                {
                    // Already active: an earlier attempt got this far before failing.
                    return;
                }

                if (!written)
                {
                    lostRaces++;
                }
            }

            throw new InvalidOperationException(
                $"silo {Self} could not join: the membership table kept changing under {_options.MaxWriteAttempts} attempts");
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Moves this silo's row forward to <paramref name="status"/> (never backward, never out of
    /// <see cref="SiloStatus.Dead"/>).
    /// </summary>
    /// <returns>Whether the row now has <paramref name="status"/> or a later one that this silo wrote;
    /// false when the silo was declared dead first or every attempt lost its race.</returns>
    public async Task<bool> AdvanceOwnStatusAsync(SiloStatus status, CancellationToken ct)
    {
        if (status == SiloStatus.Dead)
        {
            // Our own Dead row must not read as a death declaration.
            _leavingGracefully = true;
        }

        await _writeGate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; attempt <= _options.MaxWriteAttempts; attempt++)
            {
                var table = await RefreshAsync(ct);
                var own = table.Find(Self);
                if (own is null || own.Entry.Status == SiloStatus.Dead)
                {
                    return false;
                }

                if (own.Entry.Status >= status)
                {
                    return true;
                }

                if (await _table.UpdateRowAsync(own.Entry with { Status = status }, own.ETag, table.Version, ct))
                {
                    LogOwnStatusChanged(_logger, Self, status);
                    await RefreshAsync(ct);
                    return true;
                }
            }

            LogWriteAttemptsExhausted(_logger, Self, $"set own status {status}", _options.MaxWriteAttempts);
            return false;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes this silo's heartbeat.</summary>
    public Task HeartbeatAsync(CancellationToken ct) => _table.UpdateIAmAliveAsync(Self, _timeProvider.GetUtcNow(), ct);

    /// <summary>
    /// Votes that <paramref name="suspect"/> is dead, declaring it so when the fresh votes are enough.
    /// Only an active silo votes; a suspect already dead or gone from the table needs no vote.
    /// </summary>
    /// <returns>Whether this call wrote the suspect's row as <see cref="SiloStatus.Dead"/>.</returns>
    public async Task<bool> VoteAgainstAsync(SiloAddress suspect, string reason, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; attempt <= _options.MaxWriteAttempts; attempt++)
            {
                var table = await RefreshAsync(ct);
                var row = table.Find(suspect);
                if (row is null || row.Entry.Status == SiloStatus.Dead || table.Find(Self)?.Entry.Status != SiloStatus.Active)
                {
                    return false;
                }

                var decision = DeathVoteTally.Decide(table, row.Entry, Self, _timeProvider.GetUtcNow(), _options);
                if (decision.Outcome == DeathVoteOutcome.AlreadyVoted)
                {
                    return false;
                }

                if (await _table.UpdateRowAsync(decision.UpdatedEntry!, row.ETag, table.Version, ct))
                {
                    if (decision.Outcome == DeathVoteOutcome.DeclareDead)
                    {
                        LogDeclaredSiloDead(_logger, suspect, reason, decision.FreshVotes, decision.RequiredVotes);
                    }
                    else
                    {
                        LogVotedAgainst(_logger, suspect, reason, decision.FreshVotes, decision.RequiredVotes);
                    }

                    await RefreshAsync(ct);
                    return decision.Outcome == DeathVoteOutcome.DeclareDead;
                }
            }

            LogWriteAttemptsExhausted(_logger, Self, $"vote against {suspect}", _options.MaxWriteAttempts);
            return false;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Makes <paramref name="table"/> the current view unless a newer one was already published; raises the
    /// change callback when the version moved, and the death callback (once) when this silo reads itself dead.
    /// </summary>
    public void Publish(MembershipTableSnapshot table)
    {
        bool readOwnDeath;
        lock (_publishLock)
        {
            if (_lastTable is not null && table.Version < _lastTable.Version)
            {
                // A slower concurrent read: it must not roll the view back.
                return;
            }

            var previous = _current;
            var snapshot = MembershipSnapshot.From(table);
            _lastTable = table;
            Volatile.Write(ref _current, snapshot);

            var ownStatus = snapshot.GetStatus(Self);
            _ownRowSeenActive |= ownStatus == SiloStatus.Active;
            readOwnDeath = ownStatus == SiloStatus.Dead && _ownRowSeenActive && !_leavingGracefully;

            if (table.Version > _lastRaisedVersion)
            {
                _lastRaisedVersion = table.Version;
                LogStatusTransitions(previous, snapshot);
                _onChanged(snapshot);
            }
        }

        if (readOwnDeath && Interlocked.Exchange(ref _declaredDeadSignalled, 1) == 0)
        {
            LogReadOwnDeath(_logger, Self, string.Join(", ", Current.Silos.GetValueOrDefault(Self)?.Suspicions.Select(vote => vote.Voter) ?? []));
            _onDeclaredDead();
        }
    }

    private void RefuseToJoinIfSuperseded(MembershipTableSnapshot table, MembershipRow? own)
    {
        var newer = table.Rows.FirstOrDefault(row => IsSameEndpoint(row.Entry.Silo, Self) && row.Entry.Silo.Generation > Self.Generation);
        if (newer is not null)
        {
            throw new InvalidOperationException($"silo {Self} cannot join: a newer generation {newer.Entry.Silo} of its endpoint is in the membership table");
        }

        if (own is not null && own.Entry.Status is SiloStatus.Dead or SiloStatus.ShuttingDown)
        {
            throw new InvalidOperationException($"silo {Self} cannot join: its row is already {own.Entry.Status}");
        }
    }

    private void LogStatusTransitions(MembershipSnapshot previous, MembershipSnapshot next)
    {
        foreach (var (silo, entry) in next.Silos)
        {
            if (silo != Self && previous.GetStatus(silo) != entry.Status)
            {
                LogSiloStatusObserved(_logger, silo, entry.SiloName, entry.Status, next.Version);
            }
        }
    }

    private static bool IsSameEndpoint(SiloAddress a, SiloAddress b) =>
        a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Silo {Silo} ({Name}) is joining the cluster")]
    private static partial void LogJoining(ILogger logger, SiloAddress silo, string name);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Marked {Older} dead: superseded by the newer generation {Newer} on its endpoint")]
    private static partial void LogSupersededOlderGeneration(ILogger logger, SiloAddress older, SiloAddress newer);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Silo {Silo} is now {Status}")]
    private static partial void LogOwnStatusChanged(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Observed silo {Silo} ({Name}) {Status} at table version {Version}")]
    private static partial void LogSiloStatusObserved(ILogger logger, SiloAddress silo, string name, SiloStatus status, long version);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Voted that {Suspect} is dead ({Reason}): {Votes} of {Required} fresh votes")]
    private static partial void LogVotedAgainst(ILogger logger, SiloAddress suspect, string reason, int votes, int required);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Declared {Suspect} dead ({Reason}): {Votes} of {Required} fresh votes")]
    private static partial void LogDeclaredSiloDead(ILogger logger, SiloAddress suspect, string reason, int votes, int required);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Silo {Silo} gave up trying to {Write} after {Attempts} lost compare-and-swap races; it tries again later")]
    private static partial void LogWriteAttemptsExhausted(ILogger logger, SiloAddress silo, string write, int attempts);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Critical, Message = "Silo {Silo} found itself declared dead in the membership table (voters: {Voters}); it must stop")]
    private static partial void LogReadOwnDeath(ILogger logger, SiloAddress silo, string voters);
}
