using GenCluster.Testing.Processes;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>Two silo processes (cli-a, cli-b; one CPU device each) sharing a membership file, for the CLI's tests.</summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public const string ClusterId = "cli-tests";
    public const string Secret = "cli-tests-secret";

    private readonly TemporaryDirectory _directory = new("gencluster-cli");
    private readonly List<SiloProcess> _silos = [];

    internal IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The gateways as <c>--gateway</c> takes them.</summary>
    public string Gateways => string.Join(',', _silos.Select(s => s.Gateway));

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "cli-a", "cli-b" })
        {
            _silos.Add(SiloProcess.Start(name,
            [
                "--cluster-id", ClusterId,
                "--secret", Secret,
                "--membership-file", _directory.File("membership.json"),
                "--storage-dir", _directory.File("storage"),
                "--devices", "cpu:0",
                "--Membership:ProbeTimeout=00:00:03",
                "--Membership:MissedProbesLimit=3",
                "--Membership:TableRefreshInterval=00:00:00.500",
                "--Logging:LogLevel:Default=Warning",
            ]));
        }

        await SiloProcess.WaitUntilAllActiveAsync(_silos);
    }

    public Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _directory.Dispose();
        return Task.CompletedTask;
    }
}
