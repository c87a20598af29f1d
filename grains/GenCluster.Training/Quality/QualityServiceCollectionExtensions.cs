using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GenCluster.Training.Quality;

/// <summary>Registers the quality metric with dependency injection.</summary>
public static class QualityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="QualityEvaluator"/> (a singleton: it caches the classifier and the test-set statistics).</summary>
    public static IServiceCollection AddQualityEvaluator(this IServiceCollection services, Action<QualityEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<QualityEvaluatorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QualityEvaluator>();
        return services;
    }

    /// <summary>Adds <see cref="ClassifierTrainer"/>, which trains the metric's classifier.</summary>
    public static IServiceCollection AddClassifierTrainer(this IServiceCollection services, Action<ClassifierTrainingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ClassifierTrainingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<ClassifierTrainer>();
        return services;
    }
}
