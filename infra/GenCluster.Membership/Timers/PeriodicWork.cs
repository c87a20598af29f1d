using Microsoft.Extensions.Logging;

namespace GenCluster.Membership;

/// <summary>
/// Runs a piece of membership work every period on a <see cref="TimeProvider"/> timer (so tests drive it with
/// a manual clock), on the thread pool, logging rather than propagating failures. A tick either waits its turn
/// (is skipped while the previous run is still going) or overlaps it; in-flight runs can be awaited.
/// </summary>
internal sealed partial class PeriodicWork : IAsyncDisposable
{
    private readonly string _name;
    private readonly TimeSpan _period;
    private readonly Func<CancellationToken, Task> _work;
    private readonly bool _allowOverlap;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private bool _stopped;
    private int _running;
    private TaskCompletionSource? _idle;

    public PeriodicWork(string name, TimeSpan period, Func<CancellationToken, Task> work, bool allowOverlap, TimeProvider timeProvider, ILogger logger)
    {
        _name = name;
        _period = period;
        _work = work;
        _allowOverlap = allowOverlap;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts ticking; the first run is one period from now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_stopped || _timer is not null)
            {
                return;
            }

            // The work must not inherit the starter's ambient state (request context, activity) for the agent's lifetime.
            if (ExecutionContext.IsFlowSuppressed())
            {
                _timer = CreateTimer();
            }
            else
            {
                using (ExecutionContext.SuppressFlow())
                {
                    _timer = CreateTimer();
                }
            }
        }
    }

    private ITimer CreateTimer() => _timeProvider.CreateTimer(static state => ((PeriodicWork)state!).OnTick(), this, _period, _period);

    /// <summary>Stops ticking and cancels the runs in flight, without waiting for them (safe from inside a run).</summary>
    public void Stop()
    {
        ITimer? timer;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            timer = _timer;
            _timer = null;
        }

        timer?.Dispose();
        _stopping.Cancel();
    }

    /// <summary>Stops ticking and waits until the runs in flight have ended.</summary>
    public async Task StopAsync()
    {
        Stop();
        await WhenIdleAsync();
    }

    /// <summary>Completes when no run is in flight.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_running == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private void OnTick()
    {
        lock (_lock)
        {
            if (_stopped || (!_allowOverlap && _running > 0))
            {
                return;
            }

            // Counted here, inside the timer callback, so that whoever moved the clock can await the run.
            _running++;
        }

        _ = Task.Run(RunOnceAsync);
    }

    private async Task RunOnceAsync()
    {
        try
        {
            await _work(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped mid-run: nothing to report.
        }
        catch (Exception e)
        {
            LogWorkFailed(_logger, e, _name);
        }
        finally
        {
            TaskCompletionSource? idle = null;
            lock (_lock)
            {
                if (--_running == 0)
                {
                    idle = _idle;
                    _idle = null;
                }
            }

            idle?.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Membership {Work} failed; it runs again next period")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, string work);
}
