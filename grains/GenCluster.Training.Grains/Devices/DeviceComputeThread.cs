using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Grains.Devices;

/// <summary>
/// The one thread that runs a device's tensor work. Dispose scopes are per thread and grain turns hop threads,
/// and libtorch's intra-op thread count is a per-thread setting: so grains hand work here and await the result,
/// and compute never runs on the grain scheduler's thread pool.
/// </summary>
internal sealed partial class DeviceComputeThread : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private int _torchThreads;

    public DeviceComputeThread(string device, ILogger logger)
    {
        Device = device;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"compute {device}" };
        _thread.Start();
    }

    /// <summary>The device's name (<c>cpu:0</c>).</summary>
    public string Device { get; }

    /// <summary>Runs <paramref name="work"/> on this thread with <paramref name="torchThreads"/> intra-op threads.</summary>
    /// <exception cref="InvalidOperationException">(In the task) the thread has stopped: the silo is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<T> work, int torchThreads)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Continuations must not run here: they belong to the grain's scheduler, and would block the device.
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Item()
        {
            try
            {
                if (_torchThreads != torchThreads)
                {
                    set_num_threads(torchThreads);
                    _torchThreads = torchThreads;
                }

                result.SetResult(work());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }

        try
        {
            _work.Add(Item);
        }
        catch (InvalidOperationException)
        {
            result.SetException(new InvalidOperationException($"the compute thread of device {Device} has stopped (the silo is shutting down)"));
        }

        return result.Task;
    }

    /// <summary>Runs <paramref name="work"/> on this thread.</summary>
    public Task RunAsync(Action work, int torchThreads) => RunAsync(
        () =>
        {
            work();
            return true;
        },
        torchThreads);

    /// <summary>Lets queued work finish, then stops the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread && !_thread.Join(StopTimeout))
        {
            LogStuck(_logger, Device, StopTimeout.TotalSeconds);
        }

        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compute thread of {Device} did not stop within {Seconds} s; abandoning it")]
    private static partial void LogStuck(ILogger logger, string device, double seconds);
}
