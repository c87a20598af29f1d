using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Testing;
using GenCluster.Testing.Processes;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// Silo processes on loopback (two by default: <c>silo-a</c> and <c>silo-b</c>; then <c>silo-c</c>, …) and a client. The silos are
/// stopped by PID on dispose, on Ctrl-C and on process exit, so no run leaves one behind.
/// </summary>
internal sealed class BenchmarkCluster : IAsyncDisposable
{
    public const string SiloA = "silo-a";
    public const string SiloB = "silo-b";
    private const string ClusterId = "benchmarks";
    private const string Secret = "benchmark-secret";

    private readonly TemporaryDirectory _directory = new("gencluster-bench");
    private readonly List<SiloProcess> _silos = [];

    private BenchmarkCluster()
    {
    }

    public ClusterClient Client { get; private set; } = null!;

    /// <summary>The silos' process ids (for the report).</summary>
    public IEnumerable<int> Pids => _silos.Select(s => s.Pid);

    /// <summary>CPU time (user + system) both silo processes have used so far: a cost per call that the other load on the machine does not distort.</summary>
    public TimeSpan SiloCpuTime()
    {
        var total = TimeSpan.Zero;
        foreach (var pid in Pids)
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            total += process.TotalProcessorTime;
        }

        return total;
    }

    /// <summary>The name of the <paramref name="index"/>-th silo: <c>silo-a</c>, <c>silo-b</c>, ….</summary>
    public static string SiloName(int index) => $"silo-{(char)('a' + index)}";

    /// <param name="silos">How many silo processes.</param>
    /// <param name="sharedMemory">Whether silos move large frames between them through shared memory (the default).</param>
    public static async Task<BenchmarkCluster> StartAsync(int silos = 2, bool sharedMemory = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(silos, 26);
        var cluster = new BenchmarkCluster();
        try
        {
            foreach (var name in Enumerable.Range(0, silos).Select(SiloName))
            {
                var silo = SiloProcess.Start(name, LoopbackPorts.Free(),
                [
                    "--cluster-id", ClusterId,
                    "--secret", Secret,
                    "--membership-file", cluster._directory.File("membership.json"),
                    "--storage-dir", cluster._directory.File("storage"),
                    "--grain-assembly", Path.Combine(AppContext.BaseDirectory, "GenCluster.Cluster.TestGrains.dll"),
                    // Why: this machine is shared (load averages above 10 on 2 cores were seen); a silo
                    // starved for a few seconds must not be declared dead in the middle of a run.
                    "--Membership:ProbeTimeout=00:00:05",
                    "--Membership:MissedProbesLimit=6",
                    "--Logging:LogLevel:Default=Warning",
                    $"--Transport:SharedMemory={sharedMemory}",
                ]);
                cluster._silos.Add(silo);
                ChildProcesses.Track(silo.Pid);
            }

            await SiloProcess.WaitUntilAllActiveAsync(cluster._silos);

            cluster.Client = ClusterClient.Create(
                new ClusterClientOptions
                {
                    ClusterId = ClusterId,
                    ClusterSecret = Secret,
                    ClientName = "benchmarks",
                    Gateways = [cluster._silos[0].Gateway],
                },
                callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromMinutes(5) });
            await cluster.Client.ConnectAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            var pid = silo.Pid;
            silo.Dispose();
            ChildProcesses.Forget(pid);
        }

        _directory.Dispose();
    }
}
