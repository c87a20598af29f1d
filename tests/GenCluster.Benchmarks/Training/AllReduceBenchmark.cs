using System.Text.Json;
using GenCluster.Benchmarks.Runtime;
using GenCluster.Cluster.TestGrains;
using GenCluster.Testing;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Training;

/// <summary>
/// All-reduce (sum) of a float32 vector across W ranks on W silo processes through the training step's path
/// (<see cref="IAllReduceWorkerGrain"/>: buckets to S = W parameter shards in sum mode, answers written back), against
/// <c>torch.distributed</c> Gloo <c>all_reduce</c> with W processes (<c>peers/allreduce_peer.py</c>) and a raw loopback
/// TCP stream (the per-link ceiling) and a raw loopback TCP exchange in both directions at once between two processes
/// (the W = 2 ring's ceiling), all in the same run. Both all-reduces are checked for exact sums. Prints algbw = bytes / t
/// and busbw = algbw · 2(W−1)/W (nccl-tests' definition) per size and W, and the ratio of bus bandwidths.
/// Options: <c>--sizes</c> MiB (1,16,64,256), <c>--worlds</c> (2,4), <c>--warmup</c> (30), <c>--steps</c> timed
/// iterations (20), <c>--shards</c> (W), <c>--bucket</c> elements (1,048,576, the training plan's default),
/// <c>--inflight</c> buckets per rank at a time (2, a training worker's default <c>TrainingGrainOptions.BucketsInFlight</c>),
/// <c>--socket-only 1</c> (our silos send their frames over loopback TCP only, as silos on different hosts would; by default
/// silos on one host move large frames through shared memory).
/// </summary>
internal static class AllReduceBenchmark
{
    private const int TargetMib = 64;
    private const double Target = 1.5;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var sizes = args.GetList("--sizes", [1, 16, 64, 256]);
        var worlds = args.GetList("--worlds", [2, 4]);
        // Thirty warm-up iterations for both sides: ours reaches its steady state (the JIT's optimized tier for the hot
        // path) only after 20-30 all-reduces of 64 MiB; a training run does thousands.
        int warmup = args.Get("--warmup", 30), iterations = args.Get("--steps", 20), bucket = args.Get("--bucket", 1024 * 1024);
        var inFlight = args.Get("--inflight", 2);
        PrintEnvironment(Format($"allreduce: float32 sum of {string.Join(", ", sizes)} MiB over W = {string.Join(", ", worlds)} processes on loopback, {warmup} warm-up + {iterations} timed iterations, buckets of {bucket} elements, {inFlight} in flight per rank"));
        Console.WriteLine($"environment: OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}, Gloo ranks 1 torch thread each");
        PrintTransport(args);

        var rows = new List<Row>();
        foreach (var world in worlds)
        {
            var shards = args.Get("--shards", world);
            var ours = await MeasureOursAsync(world, shards, sizes, warmup, iterations, bucket, inFlight, args.SharedMemory);
            var gloo = MeasureGloo(world, sizes, warmup, iterations);
            foreach (var mib in sizes)
            {
                rows.Add(new Row(world, mib, ours[mib], gloo[mib]));
            }
        }

        var raw = await MeasureRawTcpAsync(sizes, warmup, iterations);
        var exchange = await MeasureRawExchangeAsync(sizes, warmup, iterations);
        PrintLoad("after the run");
        Console.WriteLine();
        Console.WriteLine("  W   MiB | ours: median ms  algbw MiB/s  busbw MiB/s | gloo: median ms  algbw MiB/s  busbw MiB/s | busbw ours/gloo | raw TCP MiB/s (ceiling) | raw TCP both ways, busbw MiB/s (W = 2 ceiling)");
        foreach (var row in rows)
        {
            double oursAlg = row.Mib / row.Ours, glooAlg = row.Mib / row.Gloo, factor = 2.0 * (row.World - 1) / row.World;
            string both = row.World == 2 ? $"{row.Mib / exchange[row.Mib],8:F0}" : "       -";
            Console.WriteLine(Format($"  {row.World}  {row.Mib,4} | {row.Ours * 1000,15:F1}  {oursAlg,11:F0}  {oursAlg * factor,11:F0} | {row.Gloo * 1000,15:F1}  {glooAlg,11:F0}  {glooAlg * factor,11:F0} | {oursAlg / glooAlg,14:F2}x | {row.Mib / raw[row.Mib],8:F0} | {both}"));
        }

        foreach (var row in rows.Where(r => r.Mib == TargetMib))
        {
            Console.WriteLine(Format($"ratio at {TargetMib} MiB, W = {row.World}: busbw ours/gloo = {row.Gloo / row.Ours:F2}x (target >= {Target:F1}x)"));
            if (row.World == 2)
            {
                // busbw of an all-reduce that took only the exchange's time; Target × Gloo above it cannot be reached on this machine.
                double ceiling = row.Mib / exchange[row.Mib], glooBus = row.Mib / row.Gloo;
                Console.WriteLine(Format($"W = 2 ceiling: raw TCP both ways {ceiling:F0} MiB/s busbw = {ceiling / glooBus:F2}x Gloo's busbw; {Target:F1}x Gloo = {Target * glooBus:F0} MiB/s is {(Target * glooBus <= ceiling ? "below" : "above")} it"));
            }
        }

        return 0;
    }

    /// <summary>Median over iterations of the slowest rank's seconds, per size.</summary>
    private static async Task<Dictionary<int, double>> MeasureOursAsync(int world, int shards, int[] sizes, int warmup, int iterations, int bucket, int inFlight, bool sharedMemory)
    {
        await using var cluster = await BenchmarkCluster.StartAsync(world, sharedMemory);
        Console.WriteLine($"ours, W = {world}: silos {string.Join(", ", cluster.Pids)}, {shards} shards (shard s on rank s mod W's silo)");
        var medians = new Dictionary<int, double>();
        foreach (var mib in sizes)
        {
            var elements = checked(mib * 1024 * 1024 / sizeof(float));
            var run = $"allreduce-{Guid.NewGuid():N}";
            var ranks = Enumerable.Range(0, world)
                .Select(r => cluster.Client.GetGrain<IAllReduceWorkerGrain>($"{BenchmarkCluster.SiloName(r)}/allreduce/{run}/{r}")).ToArray();
            await Task.WhenAll(ranks.Select((g, r) => g.Prepare(new AllReducePlan(run, r, world, elements, shards, bucket, inFlight))));
            await Task.WhenAll(ranks.Select(g => g.Run(warmup)));
            var cpuBefore = cluster.SiloCpuTime();
            var perRank = await Task.WhenAll(ranks.Select(g => g.Run(iterations)));
            var cpu = (cluster.SiloCpuTime() - cpuBefore).TotalMilliseconds / iterations;
            var slowest = Enumerable.Range(0, iterations).Select(i => perRank.Max(r => r[i])).ToArray();
            medians[mib] = Median(slowest);
            Console.WriteLine(Format($"  ours  W={world} {mib,4} MiB: iterations {string.Join(" ", slowest.Select(s => $"{s * 1000:F0}"))} ms; all silos' CPU {cpu:F0} ms per all-reduce; sums exact"));
            await Task.WhenAll(ranks.Select(g => g.Release()));
        }

        return medians;
    }

    private static Dictionary<int, double> MeasureGloo(int world, int[] sizes, int warmup, int iterations)
    {
        var output = PythonPeer.Run(PythonPeer.Script("allreduce_peer.py"),
            ["--world", $"{world}", "--sizes-mib", string.Join(',', sizes), "--warmup", $"{warmup}", "--iterations", $"{iterations}", "--threads", "1"],
            TimeSpan.FromMinutes(15));
        var medians = new Dictionary<int, double>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var seconds = json.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var mib = json.RootElement.GetProperty("mib").GetInt32();
            medians[mib] = Median(seconds);
            Console.WriteLine(Format($"  gloo  W={world} {mib,4} MiB: iterations {string.Join(" ", seconds.Select(s => $"{s * 1000:F0}"))} ms; sums exact (torch {json.RootElement.GetProperty("torch").GetString()})"));
        }

        return medians;
    }

    /// <summary>One process streams each size to another over loopback with a one-byte acknowledgement: seconds per transfer.</summary>
    private static async Task<Dictionary<int, double>> MeasureRawTcpAsync(int[] sizes, int warmup, int iterations)
    {
        using var peer = TcpPeerProcess.Start();
        var medians = new Dictionary<int, double>();
        foreach (var mib in sizes)
        {
            await peer.TransferAsync(mib * 1024 * 1024, warmup);
            var seconds = await peer.TransferAsync(mib * 1024 * 1024, iterations);
            medians[mib] = Median(seconds);
            Console.WriteLine(Format($"  raw TCP {mib,4} MiB: median {medians[mib] * 1000:F1} ms = {mib / medians[mib]:F0} MiB/s"));
        }

        return medians;
    }

    /// <summary>
    /// What loopback TCP carries for a W = 2 ring all-reduce of each size: each of two processes sends the ring's
    /// 2(W−1)/W · bytes = bytes to the other while receiving as many; seconds per exchange. busbw of an all-reduce taking
    /// that long = bytes / t, since busbw = algbw · 2(W−1)/W and 2(W−1)/W = 1.
    /// </summary>
    private static async Task<Dictionary<int, double>> MeasureRawExchangeAsync(int[] sizes, int warmup, int iterations)
    {
        using var peer = TcpPeerProcess.Start();
        var medians = new Dictionary<int, double>();
        foreach (var mib in sizes)
        {
            await peer.ExchangeAsync(mib * 1024 * 1024, warmup);
            var seconds = await peer.ExchangeAsync(mib * 1024 * 1024, iterations);
            medians[mib] = Median(seconds);
            Console.WriteLine(Format($"  raw TCP both ways {mib,4} MiB each way: iterations {string.Join(" ", seconds.Select(s => $"{s * 1000:F0}"))} ms; median {medians[mib] * 1000:F1} ms = {mib / medians[mib]:F0} MiB/s each way"));
        }

        return medians;
    }

    private sealed record Row(int World, int Mib, double Ours, double Gloo);
}
