using GenCluster.Runtime.Persistence;
using GenCluster.Storage.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenCluster.Silo;

/// <summary>
/// <c>Membership:Provider=azure</c> and <c>Storage:Provider=azure</c>: the membership table and the default grain
/// storage in Azure Blob Storage, both over the one connection of the <c>Azure</c> section (<c>ConnectionString</c>,
/// or <c>ServiceUri</c> with <c>ManagedIdentityClientId</c>). Names default per cluster, so clusters can share a
/// container: the table is <c>CLUSTER/membership.json</c>, grain states live under <c>CLUSTER/grains/</c>.
/// </summary>
internal static class AzureBlobProviders
{
    /// <summary>The provider name in <c>Membership:Provider</c> and <c>Storage:Provider</c>.</summary>
    public const string Name = "azure";

    /// <summary>Adds what keeps the chosen blob providers from working to <paramref name="errors"/>, by configuration key.</summary>
    public static void Validate(IConfiguration configuration, string membershipProvider, string storageProvider, List<string> errors)
    {
        if ((membershipProvider == Name || storageProvider == Name)
            && string.IsNullOrWhiteSpace(configuration["Azure:ConnectionString"]) && string.IsNullOrWhiteSpace(configuration["Azure:ServiceUri"]))
        {
            errors.Add("Azure:ConnectionString or Azure:ServiceUri: required by the azure membership table and grain storage (e.g. GENCLUSTER_Azure__ConnectionString)");
        }
    }

    /// <summary>Registers the blob membership table and/or grain storage the settings ask for, and their shared client.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, SiloHostSettings settings)
    {
        if (settings.MembershipProvider != Name && settings.StorageProvider != Name)
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
    }
}
