using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Testing.Processes;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>
/// Three silo processes (silo-0..2, each offering cpu:0 and cpu:1) sharing a membership file and grain storage in a
/// temporary directory, with failure detection that declares a dead silo within about thirty seconds, and a client.
/// </summary>
public sealed class ProcessCluster : IAsyncLifetime
{
    public const string ClusterId = "training-process-tests";
    public const string Secret = "training-process-tests-secret";

    private readonly TemporaryDirectory _directory = new("gencluster-training");
    private readonly List<SiloProcess> _silos = [];

    internal IReadOnlyList<SiloProcess> Silos => _silos;

    public IReadOnlyList<string> SiloNames => [.. _silos.Select(s => s.Name)];

    public ClusterClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _silos.Add(SiloProcess.Start($"silo-{i}",
            [
                "--cluster-id", ClusterId,
                "--secret", Secret,
                "--membership-file", _directory.File("membership.json"),
                "--storage-dir", _directory.File("storage"),
                "--devices", "cpu:0,cpu:1",
                // Training keeps both cores busy: probes tolerate a slow answer, so only a dead silo is declared dead.
                // These tests need no death declaration at all (a killed worker's step fails when its connection
                // closes), so the limits are generous: under a load of 40+ on 2 cores, 3 × 3 s declared live silos dead.
                "--Membership:ProbeInterval=00:00:01",
                "--Membership:ProbeTimeout=00:00:05",
                "--Membership:MissedProbesLimit=5",
                "--Membership:IAmAliveInterval=00:00:01",
                "--Membership:TableRefreshInterval=00:00:00.500",
                "--Logging:LogLevel:Default=Warning",
            ]));
        }

        await SiloProcess.WaitUntilAllActiveAsync(_silos);

        Client = ClusterClient.Create(
            new ClusterClientOptions
            {
                ClusterId = ClusterId,
                ClusterSecret = Secret,
                Tenant = "tests",
                ClientName = "training-process-tests",
                Gateways = [.. _silos.Select(s => s.Gateway)],
            },
            callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(60) });
        await Client.ConnectAsync();
    }

    public async Task DisposeAsync()
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
