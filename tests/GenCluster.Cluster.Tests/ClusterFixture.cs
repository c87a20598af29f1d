using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Testing.Processes;

namespace GenCluster.Cluster.Tests;

/// <summary>
/// A cluster of real silo processes on loopback sharing a file membership table and file grain
/// storage in a temporary directory (a derived fixture may put them elsewhere), with failure detection
/// tuned for tests (a dead silo is declared within a few seconds), and a client connected through any of them.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const string Secret = "cluster-test-secret";
    public const string ClusterId = "cluster-tests";

    private readonly TemporaryDirectory _directory = new("gencluster-cluster");
    private readonly List<SiloProcess> _silos = [];

    internal IReadOnlyList<SiloProcess> Silos => _silos;

    public ClusterClient Client { get; private set; } = null!;

    public string MembershipFile => _directory.File("membership.json");

    public string StorageDirectory => _directory.File("storage");

    public virtual async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _silos.Add(StartSilo($"silo-{i}", Secret));
        }

        // Start all three before waiting: they boot in parallel on two cores.
        await SiloProcess.WaitUntilAllActiveAsync(_silos, readyTimeout: TimeSpan.FromSeconds(90));

        Client = CreateClient(Secret);
        await Client.ConnectAsync();
    }

    /// <summary>Starts a silo of this cluster (or, with another secret, an impostor).</summary>
    internal SiloProcess StartSilo(string name, string secret) => SiloProcess.Start(name, LoopbackPorts.Free(),
    [
        "--cluster-id", ClusterId,
        "--secret", secret,
        .. MembershipAndStorageArguments(),
        "--grain-assembly", Path.Combine(AppContext.BaseDirectory, "GenCluster.Cluster.TestGrains.dll"),
        "--Membership:ProbeInterval=00:00:00.500",
        "--Membership:ProbeTimeout=00:00:00.500",
        "--Membership:MissedProbesLimit=3",
        "--Membership:IAmAliveInterval=00:00:01",
        "--Membership:TableRefreshInterval=00:00:00.500",
        "--Logging:LogLevel:Default=Warning",
        // Says when a connection between silos moves large frames through shared memory (ClusterCallTests checks it).
        "--Logging:LogLevel:GenCluster.Transport.FrameConnection=Information",
    ]);

    /// <summary>Where the silos keep the membership table and grain state: by default a file and a folder in a temporary directory.</summary>
    protected virtual IEnumerable<string> MembershipAndStorageArguments() => ["--membership-file", MembershipFile, "--storage-dir", StorageDirectory];

    /// <summary>A client for the running silos' gateways.</summary>
    public ClusterClient CreateClient(string secret, string? tenant = "tests") => ClusterClient.Create(
        new ClusterClientOptions
        {
            ClusterId = ClusterId,
            ClusterSecret = secret,
            Tenant = tenant,
            ClientName = "cluster-tests",
            Gateways = _silos.Where(s => !s.HasExited).Select(s => s.Gateway).ToList(),
        },
        callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(5) });

    public virtual async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _directory.Dispose();
    }
}
