namespace GenCluster.Membership;

/// <summary>Where a <see cref="FileMembershipTable"/> keeps its JSON file and how long it waits for the file's lock.</summary>
public sealed class FileMembershipTableOptions
{
    /// <summary>The JSON file shared by every silo process on this machine; its folder is created when missing.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// How long a write waits for the exclusive lock before giving up with a <see cref="TimeoutException"/>.
    /// Writers hold it for one read-modify-write of a small file, so waiting long means a stuck process.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts to take a lock another process holds.</summary>
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromMilliseconds(5);
}
