namespace GenCluster.Storage.Azure;

/// <summary>
/// Where an <see cref="AzureBlobObjectStore"/> keeps its objects and how it transfers them. Give either
/// <see cref="ConnectionString"/> (Azurite, shared keys) or <see cref="ServiceUri"/> (Microsoft Entra ID: managed or
/// workload identity on AKS, through <c>DefaultAzureCredential</c>).
/// </summary>
public sealed class AzureBlobObjectStoreOptions
{
    /// <summary>A storage connection string; wins over <see cref="ServiceUri"/> when both are set. A secret: pass it by
    /// environment variable or secret store, never in a committed file.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net</c>, used with an Entra ID credential.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity or of the workload identity to use; the
    /// environment's default identity when null (<c>AZURE_CLIENT_ID</c> for workload identity).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The container holding the objects (3–63 lower-case letters, digits and dashes).</summary>
    public string ContainerName { get; set; } = "gencluster";

    /// <summary>Create the container on first use when it is missing (needs the right to; turn off when it is provisioned).</summary>
    public bool CreateContainer { get; set; } = true;

    /// <summary>Objects up to this size go in one request (Put Blob); larger ones are staged in blocks of this size.</summary>
    public int BlockSize { get; set; } = 8 << 20;

    /// <summary>How many blocks of one object are uploaded at once; each holds a <see cref="BlockSize"/> buffer.</summary>
    public int MaxParallelBlocks { get; set; } = 4;

    /// <summary>How often the SDK retries a failed request (with exponential back-off) before giving up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>How long one request may take before it is retried.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
