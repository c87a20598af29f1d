using Azure.Storage.Blobs;
using GenCluster.Membership;
using GenCluster.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>
/// Registers the blob providers of a silo — grain storage and the membership table — over one
/// <see cref="BlobServiceClient"/>, built once from the shared <see cref="AzureBlobConnectionOptions"/>.
/// </summary>
public static class AzureBlobServiceCollectionExtensions
{
    /// <summary>
    /// Adds the process's <see cref="BlobServiceClient"/>, built from <see cref="AzureBlobConnectionOptions"/> bound to
    /// <paramref name="section"/> (<c>ConnectionString</c>, or <c>ServiceUri</c> and <c>ManagedIdentityClientId</c>),
    /// validated at start. A client registered before wins.
    /// </summary>
    public static IServiceCollection AddAzureBlobConnection(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<AzureBlobConnectionOptions>().Bind(section);
        return services.AddAzureBlobClient();
    }

    /// <summary>Adds the process's <see cref="BlobServiceClient"/>, built from the <see cref="AzureBlobConnectionOptions"/> <paramref name="configure"/> sets.</summary>
    public static IServiceCollection AddAzureBlobConnection(this IServiceCollection services, Action<AzureBlobConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AzureBlobConnectionOptions>().Configure(configure);
        return services.AddAzureBlobClient();
    }

    /// <summary>
    /// Adds an <see cref="AzureBlobGrainStorage"/> as the grain storage provider <paramref name="name"/>, on the client of
    /// <see cref="AddAzureBlobConnection(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    public static IServiceCollection AddAzureBlobGrainStorage(this IServiceCollection services, string name, Action<AzureBlobGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = services.AddOptions<AzureBlobGrainStorageOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => new AzureBlobGrainStorage(
            provider.GetRequiredService<BlobServiceClient>(),
            provider.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(name),
            provider.GetService<ILogger<AzureBlobGrainStorage>>()));
    }

    /// <summary>
    /// Makes an <see cref="AzureBlobMembershipTable"/> the silo's <see cref="IMembershipTable"/> (replacing one registered
    /// before), on the client of <see cref="AddAzureBlobConnection(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    public static IServiceCollection AddAzureBlobMembershipTable(this IServiceCollection services, Action<AzureBlobMembershipTableOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AzureBlobMembershipTableOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        return services.Replace(ServiceDescriptor.Singleton<IMembershipTable>(provider => new AzureBlobMembershipTable(
            provider.GetRequiredService<BlobServiceClient>(),
            provider.GetRequiredService<IOptions<AzureBlobMembershipTableOptions>>(),
            provider.GetRequiredService<ILogger<AzureBlobMembershipTable>>(),
            provider.GetRequiredService<TimeProvider>())));
    }

    private static IServiceCollection AddAzureBlobClient(this IServiceCollection services)
    {
        services.AddOptions<AzureBlobConnectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureBlobConnectionOptions>, AzureBlobConnectionOptionsValidator>());
        services.TryAddSingleton(provider => BlobServiceClientFactory.Create(provider.GetRequiredService<IOptions<AzureBlobConnectionOptions>>().Value));
        return services;
    }
}
