namespace GenCluster.Testing.Azurite;

/// <summary>
/// One Azurite instance shared by the tests of a class or collection (<c>IClassFixture&lt;AzuriteFixture&gt;</c>),
/// started when the fixture is made and killed by PID when xunit disposes it.
/// </summary>
public sealed class AzuriteFixture : IDisposable
{
    /// <summary>Starts Azurite (a second or two).</summary>
    public AzuriteFixture()
    {
        // xunit 2 builds fixtures synchronously; the start itself is bounded by AzuriteProcess.
        Azurite = AzuriteProcess.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>The running instance.</summary>
    public AzuriteProcess Azurite { get; }

    /// <summary>A fresh container name, so tests sharing the instance never see each other's blobs.</summary>
    public static string NewContainerName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];

    /// <inheritdoc />
    public void Dispose() => Azurite.Dispose();
}
