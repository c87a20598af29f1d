namespace GenCluster.Storage.Azure;

/// <summary>
/// Which object store a process uses: the <c>ObjectStore</c> configuration section, with <c>Provider</c> and one
/// sub-section per provider (<c>FileSystem</c>: <see cref="GenCluster.Storage.FileSystem.FileSystemObjectStoreOptions"/>,
/// <c>Azure</c>: <see cref="AzureBlobObjectStoreOptions"/>).
/// </summary>
public sealed class ObjectStoreOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "ObjectStore";

    /// <summary>The filesystem provider's name (the embedded default).</summary>
    public const string FileProvider = "file";

    /// <summary>The Azure Blob Storage provider's name.</summary>
    public const string AzureProvider = "azure";

    /// <summary><c>file</c> (default) or <c>azure</c>, case-insensitive.</summary>
    public string Provider { get; set; } = FileProvider;
}
