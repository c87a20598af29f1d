using System.Globalization;

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
    public string Gateways => string.Join(',', _silos.Select(s => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{s.Port}")));

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

        foreach (var silo in _silos)
        {
            await silo.WaitReadyAsync(TimeSpan.FromSeconds(120));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var silo in _silos)
        {
            while (await silo.ActiveSilosAsync(http) < _silos.Count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"silo {silo.Name} did not see {_silos.Count} active silos within 60 s:\n{silo.Output}");
                }

                await Task.Delay(100);
            }
        }
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
