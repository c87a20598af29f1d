using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace GenCluster.Storage.Azure;

/// <summary>Builds the SDK client from <see cref="AzureBlobConnectionOptions"/>: connection string, or endpoint + Entra ID.</summary>
internal static class BlobServiceClientFactory
{
    public static BlobServiceClient Create(AzureBlobConnectionOptions options)
    {
        var clientOptions = new BlobClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = options.MaxRetries,
                NetworkTimeout = options.NetworkTimeout,
            },
        };

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new BlobServiceClient(options.ConnectionString, clientOptions);
        }

        if (options.ServiceUri is null)
        {
            throw new InvalidOperationException("the Azure blob connection needs ConnectionString or ServiceUri");
        }

        // On AKS the pod's workload identity (federated token) or the node's managed identity; environment
        // variables and the Azure CLI on a developer machine. Interactive browser sign-in stays off.
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = options.ManagedIdentityClientId,
            WorkloadIdentityClientId = options.ManagedIdentityClientId,
        });
        return new BlobServiceClient(options.ServiceUri, credential, clientOptions);
    }
}
