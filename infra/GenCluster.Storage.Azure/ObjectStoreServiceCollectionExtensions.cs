using GenCluster.Storage.FileSystem;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>Registers the configured <see cref="IObjectStore"/> with dependency injection.</summary>
public static class ObjectStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IObjectStore"/> that <paramref name="section"/> (the <c>ObjectStore</c> section) names in
    /// <c>Provider</c>: <c>file</c> → <see cref="FileSystemObjectStore"/> configured by <c>FileSystem</c>,
    /// <c>azure</c> → <see cref="AzureBlobObjectStore"/> configured by <c>Azure</c> (validated at start). Adds
    /// <see cref="TimeProvider.System"/> unless one is registered; the host adds logging.
    /// </summary>
    /// <exception cref="ArgumentException">The provider is neither <c>file</c> nor <c>azure</c>.</exception>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = new ObjectStoreOptions();
        section.Bind(options);
        services.AddOptions<ObjectStoreOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        switch (options.Provider.Trim().ToLowerInvariant())
        {
            case ObjectStoreOptions.FileProvider:
                services.AddOptions<FileSystemObjectStoreOptions>().Bind(section.GetSection("FileSystem"));
                services.TryAddSingleton<IObjectStore, FileSystemObjectStore>();
                break;
            case ObjectStoreOptions.AzureProvider:
                services.AddOptions<AzureBlobObjectStoreOptions>().Bind(section.GetSection("Azure")).ValidateOnStart();
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureBlobObjectStoreOptions>, AzureBlobObjectStoreOptionsValidator>());
                services.TryAddSingleton<IObjectStore, AzureBlobObjectStore>();
                break;
            default:
                throw new ArgumentException(
                    $"ObjectStore:Provider '{options.Provider}' is unknown: use '{ObjectStoreOptions.FileProvider}' or '{ObjectStoreOptions.AzureProvider}'",
                    nameof(section));
        }

        return services;
    }
}
