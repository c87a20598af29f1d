namespace GenCluster.Runtime.Persistence;

/// <summary>Where a <see cref="FileGrainStorage"/> keeps its files.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>The directory holding one file per grain state (created when missing).</summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>How long a write waits for another writer of the same state (in any process) to finish. Default 10 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
