using GenCluster.Cluster.TestGrains;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// A float32 tensor argument (a <c>float[]</c> sent as a <c>TensorView&lt;float&gt;</c>, in the tensor map form) sent
/// grain to grain from silo-a to silo-b, read by the target in the received frame (one element a page checked), versus
/// a raw socket stream of the same bytes between two processes with a one-byte acknowledgement. Each transfer is timed from send to reply; MiB/s from the medians.
/// Options: <c>--mib</c> (64), <c>--steps</c> transfers per round (5), <c>--warmup</c> (2), <c>--rounds</c> (3).
/// </summary>
internal static class TensorTransferBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int mib = args.Get("--mib", 64), transfers = args.Get("--steps", 5), warmup = args.Get("--warmup", 2), rounds = args.Get("--rounds", 3);
        var bytes = mib * 1024 * 1024;
        var elements = bytes / sizeof(float);
        PrintEnvironment(Format($"tensor-transfer: {mib} MiB float32 tensor ({elements} elements), {rounds} rounds x {transfers} transfers after {warmup} warm-up transfers"));
        PrintTransport(args);

        await using var cluster = await BenchmarkCluster.StartAsync(sharedMemory: args.SharedMemory);
        using var peer = TcpPeerProcess.Start();
        Console.WriteLine($"processes: silos {string.Join(", ", cluster.Pids)} (silo-a -> silo-b), TCP sink peer {peer.Pid} (benchmark process -> peer)");

        var driver = cluster.Client.GetGrain<IBenchmarkDriverGrain>($"{BenchmarkCluster.SiloA}/tensor-driver");
        var target = $"{BenchmarkCluster.SiloB}/tensor-target";
        await driver.SendTensors(target, elements, warmup);
        await peer.TransferAsync(bytes, warmup);

        var ours = new List<double>();
        var raw = new List<double>();
        var cpuPerTransfer = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var cpuBefore = cluster.SiloCpuTime();
            var grainRound = await driver.SendTensors(target, elements, transfers);
            cpuPerTransfer.Add((cluster.SiloCpuTime() - cpuBefore).TotalMilliseconds / transfers);
            var rawRound = await peer.TransferAsync(bytes, transfers);
            ours.AddRange(grainRound);
            raw.AddRange(rawRound);
            Console.WriteLine(Format($"  round {round + 1}: grain {mib / Median(grainRound):F0} MiB/s (both silos' CPU {cpuPerTransfer[^1]:F1} ms per transfer), raw socket {mib / Median(rawRound):F0} MiB/s"));
        }

        PrintLoad("after the run");
        double oursRate = mib / Median(ours), rawRate = mib / Median(raw);
        Console.WriteLine(Format($"ours (TensorView<float> argument a -> b)     : median {Median(ours) * 1000:F1} ms per {mib} MiB = {oursRate:F0} MiB/s (best {mib / ours.Min():F0} MiB/s)"));
        Console.WriteLine(Format($"raw socket stream:                              median {Median(raw) * 1000:F1} ms per {mib} MiB = {rawRate:F0} MiB/s (best {mib / raw.Min():F0} MiB/s)"));
        Console.WriteLine(Format($"silo CPU per transfer: median {Median(cpuPerTransfer):F1} ms (both silos, user + system)"));
        Console.WriteLine(Format($"ratio ours/raw throughput = {oursRate / rawRate:F2}x (target >= 0.8x)"));
        return 0;
    }
}
