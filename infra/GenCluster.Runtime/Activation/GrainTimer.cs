using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Activation;

/// <summary>
/// A grain timer: each tick is queued as a turn of its activation, and the next tick is armed only after the
/// callback finished, so ticks never overlap or pile up behind a slow callback. Ticks do not count as activity
/// (a grain kept busy only by its timers is still collected when idle).
/// </summary>
internal sealed partial class GrainTimer : IDisposable
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _timer;

    /// <summary>Creates a stopped timer; <see cref="Start"/> arms it.</summary>
    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan period, TimeProvider timeProvider, ILogger logger)
    {
        _activation = activation;
        _callback = callback;
        _period = period;
        _logger = logger;
        _timer = timeProvider.CreateTimer(static state => ((GrainTimer)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Arms the first tick after <paramref name="dueTime"/>.</summary>
    public void Start(TimeSpan dueTime) => Arm(dueTime);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnTick()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _activation.RunTurnAsync(
                async () =>
                {
                    await _callback(_disposed.Token);
                    return true;
                },
                _activation.ClassInfo.Reentrant,
                keepsAlive: false)
            .ContinueWith(
                static (tick, state) =>
                {
                    var timer = (GrainTimer)state!;
                    // A tick refused because the grain is deactivating is not a failure of the callback.
                    if (tick.Exception is { } error && !timer._disposed.IsCancellationRequested && timer._activation.State == ActivationState.Valid)
                    {
                        LogTickFailed(timer._logger, error.InnerException ?? error, timer._activation.GrainId);
                    }

                    if (timer._period != Timeout.InfiniteTimeSpan)
                    {
                        timer.Arm(timer._period);
                    }
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
    }

    private void Arm(TimeSpan dueTime)
    {
        try
        {
            if (!_disposed.IsCancellationRequested)
            {
                _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: no more ticks.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A timer callback of {GrainId} failed; the timer keeps running")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, GrainId grainId);
}
