using GenCluster.Storage;
using GenCluster.Training.Grains.Checkpoints;
using GenCluster.Training.Grains.Data;
using GenCluster.Training.Grains.Devices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GenCluster.Training.Grains.Hosting;

/// <summary>Registers the training grains' silo services.</summary>
public static class TrainingGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Lets this silo host the experiment coordinator, GPU worker and parameter shard grains: one compute thread per
    /// advertised device and a data-set cache. Checkpoints go to the registered <see cref="IObjectStore"/> (every silo of
    /// the cluster must share it); without one, plans asking for checkpoints are refused. Call after <c>AddGenClusterSilo</c>.
    /// </summary>
    public static IServiceCollection AddTrainingGrains(this IServiceCollection services, Action<TrainingGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TrainingGrainOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeviceComputeThreads>();
        services.TryAddSingleton<TrainingDatasets>();
        services.TryAddSingleton(provider => new CheckpointStore(provider.GetService<IObjectStore>()));
        services.AddHostedService<ExperimentReactivationService>();
        return services;
    }
}
