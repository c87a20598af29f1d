using GenCluster.Cluster.TestGrains;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// Cross-silo call throughput: <c>--drivers</c> driver grains on silo-a together keep <c>--outstanding</c>
/// calls in flight to 16 reentrant targets on silo-b for <c>--seconds</c> per round, after one warm-up
/// round; prints calls/s per round and the median. No peer: the target is absolute (100,000 calls/s).
/// Defaults: 1024 outstanding, 4 drivers, 5 s, 3 rounds.
/// </summary>
internal static class GrainThroughputBenchmark
{
    private const int Targets = 16;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int outstanding = args.Get("--outstanding", 1024), drivers = args.Get("--drivers", 4), seconds = args.Get("--seconds", 5), rounds = args.Get("--rounds", 3);
        PrintEnvironment(Format($"grain-throughput: {outstanding} outstanding calls from {drivers} driver grains on silo-a to {Targets} targets on silo-b, {rounds} rounds x {seconds} s after a warm-up round"));

        await using var cluster = await BenchmarkCluster.StartAsync();
        Console.WriteLine($"processes: silos {string.Join(", ", cluster.Pids)}");
        var targets = Enumerable.Range(0, Targets).Select(i => $"{BenchmarkCluster.SiloB}/throughput-target-{i}").ToArray();
        var driverGrains = Enumerable.Range(0, drivers).Select(i => cluster.Client.GetGrain<IBenchmarkDriverGrain>($"{BenchmarkCluster.SiloA}/throughput-driver-{i}")).ToArray();
        var lanes = Enumerable.Range(0, drivers).Select(i => (outstanding / drivers) + (i < outstanding % drivers ? 1 : 0)).ToArray();

        var cpuPerCall = new List<double>();
        async Task<double> Round(int milliseconds)
        {
            var cpuBefore = cluster.SiloCpuTime();
            var samples = await Task.WhenAll(driverGrains.Select((d, i) => d.Throughput(targets, lanes[i], milliseconds)));
            var calls = samples.Sum(s => s.Calls);
            cpuPerCall.Add((cluster.SiloCpuTime() - cpuBefore).TotalMicroseconds / calls);
            return calls / samples.Max(s => s.Seconds);
        }

        Console.WriteLine(Format($"  warm-up: {await Round(Math.Max(2000, seconds * 500)):F0} calls/s"));
        cpuPerCall.Clear();
        var perRound = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            perRound.Add(await Round(seconds * 1000));
            Console.WriteLine(Format($"  round {round + 1}: {perRound[^1]:F0} calls/s, both silos' CPU {cpuPerCall[^1]:F1} µs per call"));
        }

        PrintLoad("after the run");
        Console.WriteLine(Format($"ours (grains silo-a -> silo-b): median {Median(perRound):F0} calls/s, best {perRound.Max():F0} calls/s (target >= 100,000 calls/s)"));
        var cpu = Median(cpuPerCall);
        Console.WriteLine(Format($"silo CPU cost: median {cpu:F1} µs per call (both silos, user + system) -> at most {2_000_000 / cpu:F0} calls/s if both cores were ours alone"));
        return 0;
    }
}
