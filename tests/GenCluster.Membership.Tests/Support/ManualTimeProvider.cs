namespace GenCluster.Membership.Tests.Support;

/// <summary>
/// A clock that moves only when a test says so. Timers created on it fire inside <see cref="Advance"/> (or
/// <see cref="AdvanceTo"/>), in due-time order, with the clock set to each timer's due time as it fires.
/// Stand-in for Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider, which the package registry lacks.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    // A runaway periodic timer (a zero period would be one) must not hang a test.
    private const int MaxFiringsPerAdvance = 100_000;

    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private long _created;

    public ManualTimeProvider(DateTimeOffset start)
    {
        _start = start;
        _now = start;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How far the clock has moved since it was created.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_lock)
            {
                return _now - _start;
            }
        }
    }

    /// <summary>When the earliest armed timer fires; null when none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count == 0 ? null : _timers.Min(timer => timer.Due);
            }
        }
    }

    /// <summary>How many timers are armed.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return (_now - _start).Ticks;
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ManualTimer timer;
        lock (_lock)
        {
            timer = new ManualTimer(this, callback, state, ++_created);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock forward to <paramref name="target"/>, firing every timer that falls due on the way.</summary>
    public void AdvanceTo(DateTimeOffset target)
    {
        for (var firings = 0; ; firings++)
        {
            if (firings > MaxFiringsPerAdvance)
            {
                throw new InvalidOperationException($"more than {MaxFiringsPerAdvance} timer firings in one advance");
            }

            ManualTimer? due;
            lock (_lock)
            {
                if (target < _now)
                {
                    throw new ArgumentOutOfRangeException(nameof(target), "the clock only moves forward");
                }

                due = _timers.Where(timer => timer.Due <= target).MinBy(timer => (timer.Due, timer.Order));
                if (due is null)
                {
                    _now = target;
                    return;
                }

                if (due.Due > _now)
                {
                    _now = due.Due;
                }

                // Re-arm (or disarm) before the callback runs, so the callback may change or dispose its timer.
                if (due.Period > TimeSpan.Zero)
                {
                    due.Due += due.Period;
                }
                else
                {
                    _timers.Remove(due);
                }
            }

            due.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            timer.Due = _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            _timers.Add(timer);
        }
    }

    private void Unschedule(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state, long order) : ITimer
    {
        private bool _disposed;

        public long Order { get; } = order;

        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed))
            {
                return false;
            }

            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!Volatile.Read(ref _disposed))
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, true);
            owner.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
