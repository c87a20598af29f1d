namespace GenCluster.Storage.Azure;

/// <summary>
/// Where an <see cref="AzureBlobMembershipTable"/> keeps the table and how it retries lost races; how it reaches the
/// account is the shared <see cref="AzureBlobConnectionOptions"/>.
/// </summary>
public sealed class AzureBlobMembershipTableOptions
{
    /// <summary>The container holding the table (3–63 lower-case letters, digits and dashes). Default <c>gencluster</c>.</summary>
    public string ContainerName { get; set; } = "gencluster";

    /// <summary>Create the container on the first write when it is missing (turn off when it is provisioned).</summary>
    public bool CreateContainer { get; set; } = true;

    /// <summary>The blob holding the whole table as JSON; one a cluster. Default <c>membership.json</c>.</summary>
    public string BlobName { get; set; } = "membership.json";

    /// <summary>
    /// How many times one change reads, applies and conditionally writes the table when other silos keep changing it
    /// in between (heartbeats mostly) before it gives up with a <see cref="TimeoutException"/>. Default 20.
    /// </summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The pause after the first lost race; it doubles after each further one (up to 1 s), with jitter so that
    /// contenders spread out. Default 10 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(10);
}
