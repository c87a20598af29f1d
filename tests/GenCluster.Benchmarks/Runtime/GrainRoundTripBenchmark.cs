using GenCluster.Cluster.TestGrains;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// Sequential cross-silo grain calls with a small argument (a driver grain on silo-a calls an echo
/// target on silo-b and times each call inside silo-a) versus a raw TCP ping-pong of the same bytes
/// between two processes on loopback. Rounds alternate so machine noise hits both alike.
/// Options: <c>--steps</c> calls per round (default 2000), <c>--warmup</c> (500), <c>--rounds</c> (5), <c>--payload</c> bytes (100).
/// </summary>
internal static class GrainRoundTripBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int calls = args.Get("--steps", 2000), warmup = args.Get("--warmup", 500), rounds = args.Get("--rounds", 5), payload = args.Get("--payload", 100);
        PrintEnvironment(Format($"grain-roundtrip: {payload}-byte argument, {rounds} rounds x {calls} sequential calls after {warmup} warm-up calls"));

        await using var cluster = await BenchmarkCluster.StartAsync();
        using var peer = TcpPeerProcess.Start();
        Console.WriteLine($"processes: silos {string.Join(", ", cluster.Pids)} (silo-a -> silo-b), TCP echo peer {peer.Pid} (benchmark process -> peer)");

        var driver = cluster.Client.GetGrain<IBenchmarkDriverGrain>($"{BenchmarkCluster.SiloA}/roundtrip-driver");
        var target = $"{BenchmarkCluster.SiloB}/roundtrip-target";
        await driver.RoundTrips(target, warmup, payload);
        await peer.PingPongAsync(payload, warmup);

        var ours = new List<double>();
        var raw = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var grainRound = await driver.RoundTrips(target, calls, payload);
            var rawRound = await peer.PingPongAsync(payload, calls);
            ours.AddRange(grainRound);
            raw.AddRange(rawRound);
            Console.WriteLine(Format($"  round {round + 1}: grain median {Median(grainRound):F1} µs, raw TCP median {Median(rawRound):F1} µs"));
        }

        PrintLoad("after the run");
        Console.WriteLine(Format($"ours (grain silo-a -> silo-b): median {Median(ours):F1} µs, mean {ours.Average():F1} µs, p99 {Percentile(ours, 0.99):F1} µs per round trip"));
        Console.WriteLine(Format($"raw TCP ping-pong:             median {Median(raw):F1} µs, mean {raw.Average():F1} µs, p99 {Percentile(raw, 0.99):F1} µs per round trip"));
        Console.WriteLine(Format($"ratio ours/raw: median {Median(ours) / Median(raw):F2}x, mean {ours.Average() / raw.Average():F2}x (target <= 1.3x)"));
        return 0;
    }
}
