using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Storage;
using GenCluster.Storage.Azure;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using GenCluster.Testing.Processes;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>
/// Three silo processes (silo-0..2, each offering cpu:0 and cpu:1) sharing a membership file and grain storage in a
/// temporary directory and a checkpoint store in Azurite (a blob container of its own, on loopback), with failure
/// detection that declares a killed silo dead within about thirty seconds, and a client. Each fault test class gets its
/// own cluster: its test kills one of the silos.
/// </summary>
public abstract class CheckpointingProcessCluster : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new("gencluster-recovery");
    private readonly List<SiloProcess> _silos = [];
    private AzuriteProcess? _azurite;

    internal IReadOnlyList<SiloProcess> Silos => _silos;

    public IReadOnlyList<string> SiloNames => [.. _silos.Select(s => s.Name)];

    public ClusterClient Client { get; private set; } = null!;

    /// <summary>The silos' checkpoint store, opened by the test to watch what they write.</summary>
    public IObjectStore Checkpoints { get; private set; } = null!;

    private string ClusterId => GetType().Name;

    private const string Secret = "recovery-tests-secret";

    /// <summary>Settings this cluster adds to every silo's command line.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync(extentMemoryLimitMegabytes: 512);
        var container = AzuriteFixture.NewContainerName("recovery");
        Checkpoints = new AzureBlobObjectStore(
            Options.Create(new AzureBlobObjectStoreOptions { ConnectionString = _azurite.ConnectionString, ContainerName = container }),
            NullLogger<AzureBlobObjectStore>.Instance, TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            _silos.Add(SiloProcess.Start($"silo-{i}",
            [
                "--cluster-id", ClusterId,
                "--secret", Secret,
                "--membership-file", _directory.File("membership.json"),
                "--storage-dir", _directory.File("storage"),
                "--Checkpoints:Provider=azure",
                $"--Azure:ConnectionString={_azurite.ConnectionString}",
                $"--Checkpoints:Azure:ContainerName={container}",
                "--devices", "cpu:0,cpu:1",
                // Training keeps both cores busy, and CI runs other test assemblies beside these: probes tolerate a
                // slow answer (5 × 5 s), so only a dead silo is declared dead. A killed one still is within ~30 s.
                "--Membership:ProbeInterval=00:00:01",
                "--Membership:ProbeTimeout=00:00:05",
                "--Membership:MissedProbesLimit=5",
                "--Membership:IAmAliveInterval=00:00:01",
                "--Membership:TableRefreshInterval=00:00:00.500",
                "--Training:RecoveryRetryDelay=00:00:01",
                "--Training:ReactivationScanInterval=00:00:01",
                "--Logging:LogLevel:Default=Warning",
                .. ExtraArguments,
            ]));
        }

        await SiloProcess.WaitUntilAllActiveAsync(_silos);

        Client = ClusterClient.Create(
            new ClusterClientOptions
            {
                ClusterId = ClusterId,
                ClusterSecret = Secret,
                Tenant = "tests",
                ClientName = "recovery-tests",
                Gateways = [.. _silos.Select(s => s.Gateway)],
            },
            callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(30) });
        await Client.ConnectAsync();
    }

    /// <summary>
    /// Runs a fault scenario; when it fails, each silo's last output lines (warnings and errors: deaths declared,
    /// recoveries retried) go to the test output, the only record of what the cluster did.
    /// </summary>
    internal async Task RunReportingSilosAsync(Func<Task> scenario, ITestOutputHelper output)
    {
        try
        {
            await scenario();
        }
        catch
        {
            foreach (var silo in _silos)
            {
                var lines = silo.Output.Split('\n');
                output.WriteLine($"--- {silo.Name} (pid {silo.Pid}), last {Math.Min(lines.Length, 80)} of {lines.Length} lines:");
                output.WriteLine(string.Join('\n', lines.TakeLast(80)));
            }

            throw;
        }
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

        _azurite?.Dispose();
        _directory.Dispose();
    }
}

/// <summary>A checkpointing cluster with default training settings.</summary>
public sealed class RecoveryCluster : CheckpointingProcessCluster;

/// <summary>A checkpointing cluster whose coordinators pause 6 s between a checkpoint's shard objects and its manifest.</summary>
public sealed class SlowManifestCluster : CheckpointingProcessCluster
{
    protected override IEnumerable<string> ExtraArguments => ["--Training:ManifestWriteDelay=00:00:06"];
}
