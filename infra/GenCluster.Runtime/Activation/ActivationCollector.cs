using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Activation;

/// <summary>Deactivates idle activations every <see cref="GrainCollectionOptions.CollectionQuantum"/>.</summary>
internal sealed partial class ActivationCollector : IDisposable
{
    private readonly Catalog _catalog;
    private readonly GrainCollectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ActivationCollector> _logger;
    private ITimer? _timer;

    /// <summary>Creates a stopped collector.</summary>
    public ActivationCollector(Catalog catalog, IOptions<GrainCollectionOptions> options, TimeProvider timeProvider, ILogger<ActivationCollector> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts collecting periodically.</summary>
    public void Start() =>
        _timer ??= _timeProvider.CreateTimer(static state => ((ActivationCollector)state!).Collect(), this, _options.CollectionQuantum, _options.CollectionQuantum);

    /// <summary>Deactivates the activations idle now; returns how many.</summary>
    public int Collect()
    {
        int collected = _catalog.CollectIdle();
        if (collected > 0)
        {
            LogCollected(_logger, collected, _options.CollectionAge);
        }

        return collected;
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivating {Count} activations idle for {Age}")]
    private static partial void LogCollected(ILogger logger, int count, TimeSpan age);
}
