namespace GenCluster.Storage.FileSystem;

/// <summary>Where a <see cref="FileSystemObjectStore"/> keeps its objects and how it writes them.</summary>
public sealed class FileSystemObjectStoreOptions
{
    /// <summary>The store's root folder; created when missing. Several processes of one machine may share it.</summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>
    /// Flush every object (and its folder entry) to the disk before the write returns, so a written checkpoint
    /// survives a power loss. Off only for scratch stores.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>
    /// The size of each chunk a write hashes and writes; a write from a stream uses up to four buffers of it (read
    /// into, hashed and written at once), a write from memory none.
    /// </summary>
    public int BufferSize { get; set; } = 1 << 20;

    /// <summary>How long a write waits for the object's lock, held by other writers of the same name, before a <see cref="TimeoutException"/>.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause between attempts to take an object's lock that another writer holds.</summary>
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromMilliseconds(2);
}
