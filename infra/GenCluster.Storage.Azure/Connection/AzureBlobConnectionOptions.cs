namespace GenCluster.Storage.Azure;

/// <summary>
/// How to reach an Azure Blob Storage account, shared by every blob provider of a process (object store, grain
/// storage, membership table). Give either <see cref="ConnectionString"/> (Azurite, shared keys) or
/// <see cref="ServiceUri"/> (Microsoft Entra ID: managed or workload identity on AKS, through <c>DefaultAzureCredential</c>).
/// </summary>
public class AzureBlobConnectionOptions
{
    /// <summary>A storage connection string; wins over <see cref="ServiceUri"/> when both are set. A secret: pass it by
    /// environment variable or secret store, never in a committed file.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net</c>, used with an Entra ID credential.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity or of the workload identity to use; the
    /// environment's default identity when null (<c>AZURE_CLIENT_ID</c> for workload identity).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How often the SDK retries a failed request (with exponential back-off) before giving up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>How long one request may take before it is retried.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
