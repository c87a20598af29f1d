namespace GenCluster.Storage.Azure;

/// <summary>
/// Where an <see cref="AzureBlobObjectStore"/> keeps its objects and how it transfers them; the connection (connection
/// string, or service URI with an Entra ID credential) is the <see cref="AzureBlobConnectionOptions"/> every blob
/// provider shares.
/// </summary>
public sealed class AzureBlobObjectStoreOptions : AzureBlobConnectionOptions
{
    /// <summary>The container holding the objects (3–63 lower-case letters, digits and dashes).</summary>
    public string ContainerName { get; set; } = "gencluster";

    /// <summary>Create the container on first use when it is missing (needs the right to; turn off when it is provisioned).</summary>
    public bool CreateContainer { get; set; } = true;

    /// <summary>Objects up to this size go in one request (Put Blob); larger ones are staged in blocks of this size.</summary>
    public int BlockSize { get; set; } = 8 << 20;

    /// <summary>How many blocks of one object are uploaded at once; each holds a <see cref="BlockSize"/> buffer.</summary>
    public int MaxParallelBlocks { get; set; } = 4;
}
