namespace GenCluster.Transport.Tests;

/// <summary>Upper bounds for waits in tests: generous, because the 2 shared cores may be busy with other builds.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan Short = TimeSpan.FromSeconds(2);
}
