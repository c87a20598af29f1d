using GenCluster.Testing.Azurite;

namespace GenCluster.Cluster.Tests;

/// <summary>
/// The cluster of <see cref="ClusterFixture"/> with its membership table and grain state in Azure Blob Storage, as an
/// Azurite process on loopback serves it (started first, killed by PID last).
/// </summary>
public sealed class AzuriteClusterFixture : ClusterFixture
{
    /// <summary>The container the silos share.</summary>
    public const string Container = "cluster-tests";

    /// <summary>The running Azurite, once initialised.</summary>
    public AzuriteProcess Azurite { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync(extentMemoryLimitMegabytes: 256);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Azurite?.Dispose();
        }
    }

    // Azurite's development account key is public; a real cluster passes its connection string by environment.
    protected override IEnumerable<string> MembershipAndStorageArguments() =>
    [
        "--Membership:Provider=azure",
        "--Storage:Provider=azure",
        $"--Azure:ConnectionString={Azurite.ConnectionString}",
        $"--Membership:Azure:ContainerName={Container}",
        $"--Storage:Azure:ContainerName={Container}",
    ];
}
