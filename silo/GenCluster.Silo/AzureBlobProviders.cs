using Azure.Storage.Blobs;
using GenCluster.Runtime.Persistence;
using GenCluster.Storage;
using GenCluster.Storage.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Silo;

/// <summary>
/// <c>Membership:Provider=azure</c>, <c>Storage:Provider=azure</c> and <c>Checkpoints:Provider=azure</c>: the membership
/// table, the default grain storage and the checkpoint object store in Azure Blob Storage, all over the one connection
/// (one client) of the <c>Azure</c> section (<c>ConnectionString</c>, or <c>ServiceUri</c> with
/// <c>ManagedIdentityClientId</c>). Names default per cluster, so clusters can share a container: the table is
/// <c>CLUSTER/membership.json</c>, grain states live under <c>CLUSTER/grains/</c>; checkpoints keep their own container
/// and transfer settings under <c>Checkpoints:Azure</c>.
/// </summary>
internal static class AzureBlobProviders
{
    /// <summary>The provider name in <c>Membership:Provider</c> and <c>Storage:Provider</c>.</summary>
    public const string Name = "azure";

    /// <summary>The connection keys, which only the <c>Azure</c> section may hold.</summary>
    private static readonly string[] ConnectionKeys = ["ConnectionString", "ServiceUri", "ManagedIdentityClientId"];

    /// <summary>Adds what keeps the chosen blob providers from working to <paramref name="errors"/>, by configuration key.</summary>
    public static void Validate(IConfiguration configuration, string membershipProvider, string storageProvider, string checkpointProvider, List<string> errors)
    {
        if ((membershipProvider == Name || storageProvider == Name || checkpointProvider == Name)
            && string.IsNullOrWhiteSpace(configuration["Azure:ConnectionString"]) && string.IsNullOrWhiteSpace(configuration["Azure:ServiceUri"]))
        {
            errors.Add("Azure:ConnectionString or Azure:ServiceUri: required by the azure membership table, grain storage and checkpoint store (e.g. GENCLUSTER_Azure__ConnectionString)");
        }

        // A connection given per provider would be silently ignored: every blob provider uses the Azure section's.
        foreach (var section in new[] { "Checkpoints:Azure", "Membership:Azure", "Storage:Azure" })
        {
            foreach (var key in ConnectionKeys.Where(key => configuration[$"{section}:{key}"] is not null))
            {
                errors.Add($"{section}:{key}: the blob providers share one connection; set Azure:{key} instead");
            }
        }
    }

    /// <summary>Registers the blob membership table, grain storage and checkpoint store the settings ask for, and their shared client.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, SiloHostSettings settings)
    {
        if (settings.MembershipProvider != Name && settings.StorageProvider != Name && settings.CheckpointProvider != Name)
        {
            return;
        }

        services.AddAzureBlobConnection(configuration.GetSection("Azure"));
        if (settings.MembershipProvider == Name)
        {
            services.AddAzureBlobMembershipTable(table =>
            {
                table.BlobName = $"{settings.ClusterId}/membership.json";
                configuration.GetSection("Membership:Azure").Bind(table);
            });
        }

        if (settings.StorageProvider == Name)
        {
            services.AddAzureBlobGrainStorage(GrainStorageNames.Default, storage =>
            {
                storage.Prefix = $"{settings.ClusterId}/grains/";
                configuration.GetSection("Storage:Azure").Bind(storage);
            });
        }

        if (settings.CheckpointProvider == Name)
        {
            // One object store shared by every silo (the coordinator, shards and re-activation scan use it).
            services.Configure<AzureBlobObjectStoreOptions>(configuration.GetSection("Checkpoints:Azure"));
            services.AddSingleton<IObjectStore>(provider => new AzureBlobObjectStore(
                provider.GetRequiredService<BlobServiceClient>(),
                provider.GetRequiredService<IOptions<AzureBlobObjectStoreOptions>>(),
                provider.GetRequiredService<ILogger<AzureBlobObjectStore>>(),
                provider.GetRequiredService<TimeProvider>(),
                "Checkpoints:Azure"));
        }
    }
}
