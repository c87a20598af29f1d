namespace GenCluster.Runtime.Calls;

/// <summary>How grain calls made by a silo or a client behave.</summary>
public sealed class GrainCallOptions
{
    /// <summary>How long a caller waits for a response before failing with <see cref="GrainCallTimeoutException"/>.
    /// Streaming calls are not bounded by it (their items may be far apart). Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
