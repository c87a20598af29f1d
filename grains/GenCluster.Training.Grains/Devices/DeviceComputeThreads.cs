using System.Collections.Concurrent;
using GenCluster.Contracts.Training;
using GenCluster.Runtime.Hosting;
using GenCluster.Training.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Devices;

/// <summary>The silo's devices (<see cref="TrainingGrainOptions.Devices"/>, default the silo's advertised ones), each with one compute thread, started on first use.</summary>
internal sealed partial class DeviceComputeThreads : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DeviceComputeThread>> _threads = new(StringComparer.Ordinal);
    private readonly ILogger<DeviceComputeThreads> _logger;
    private readonly string _siloName;
    private bool _disposed;

    public DeviceComputeThreads(IOptions<TrainingGrainOptions> options, IOptions<SiloOptions> silo, ILogger<DeviceComputeThreads> logger)
    {
        _logger = logger;
        _siloName = silo.Value.SiloName;
        Devices = [.. options.Value.Devices ?? silo.Value.Devices];
        var invalid = Devices.Where(d => !DeviceAddress.IsDeviceName(d)).ToList();
        if (invalid.Count > 0)
        {
            throw new OptionsValidationException(nameof(TrainingGrainOptions), typeof(TrainingGrainOptions),
                [$"devices [{string.Join(", ", invalid)}] of silo '{_siloName}' are not cpu:N or cuda:N"]);
        }
    }

    /// <summary>The devices this silo offers.</summary>
    public IReadOnlyList<string> Devices { get; }

    /// <summary>The compute thread of <paramref name="device"/>.</summary>
    /// <exception cref="InvalidOperationException">This silo does not offer the device.</exception>
    public DeviceComputeThread Get(string device)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Devices.Contains(device, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"silo '{_siloName}' does not offer device '{device}' (it offers: {(Devices.Count == 0 ? "none" : string.Join(", ", Devices))})");
        }

        return _threads.GetOrAdd(device, d => new Lazy<DeviceComputeThread>(() =>
        {
            LogStarting(_logger, d, _siloName);
            return new DeviceComputeThread(d, _logger);
        })).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (var thread in _threads.Values.Where(t => t.IsValueCreated))
        {
            thread.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the compute thread of device {Device} on silo {Silo}")]
    private static partial void LogStarting(ILogger logger, string device, string silo);
}
