using System.Text.Json;
using GenCluster.Benchmarks.Runtime;
using GenCluster.Contracts.Training;
using GenCluster.Testing;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Training;

/// <summary>
/// Images/s of 2-worker data-parallel DCGAN training (the main job's recipe: pytorch/examples sizes, batch 32 per
/// worker, 1 torch thread per worker, Fashion-MNIST) through two silo processes and the coordinator, worker and shard
/// grains, against PyTorch DDP with Gloo in 2 processes (<c>peers/ddp_peer.py</c>, the same model, batch and threads)
/// in the same run, alternating rounds so machine noise hits both alike. Step times after each round's warm-up;
/// images/s = 2·batch / median step over all rounds. A third side, DDP with G's transposed convolutions computed as our
/// shim computes them (<c>--gencluster-kernels</c>), isolates what the runtime costs from what the kernels gain; the
/// target is against stock DDP.
/// Options: <c>--batch</c> per worker (32), <c>--steps</c> timed per round (20), <c>--warmup</c> (5), <c>--rounds</c> (2),
/// <c>--shards</c> per model (2), <c>--bucket</c> elements (the plan's default, 1,048,576).
/// </summary>
internal static class EndToEndBenchmark
{
    private const int World = 2;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int batch = args.Get("--batch", 32), steps = args.Get("--steps", 20), warmup = args.Get("--warmup", 5), rounds = args.Get("--rounds", 2);
        int shards = args.Get("--shards", 2), bucket = args.Get("--bucket", new TrainingPlan().BucketElements);
        PrintEnvironment(Format($"e2e: DCGAN 28x28 on Fashion-MNIST, {World} workers x batch {batch}, 1 torch thread per worker, {rounds} rounds of {warmup} warm-up + {steps} timed steps; ours {shards}+{shards} shards, buckets of {bucket} elements"));
        PrintTransport(args);
        Console.WriteLine($"environment: OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}");

        var ours = new List<double>();
        var ddp = new List<double>();
        var ddpOurKernels = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            ours.AddRange(await MeasureOursAsync(batch, steps, warmup, shards, bucket, args.SharedMemory));
            ddp.AddRange(MeasureDdp(batch, steps, warmup, ourKernels: false));
            ddpOurKernels.AddRange(MeasureDdp(batch, steps, warmup, ourKernels: true));
            PrintLoad($"after round {round + 1}");
        }

        double oursRate = World * batch / Median(ours), ddpRate = World * batch / Median(ddp), sameKernelsRate = World * batch / Median(ddpOurKernels);
        Console.WriteLine(Format($"ours (2 silos, grains):     median step {Median(ours) * 1000:F1} ms, p90 {Percentile(ours, 0.9) * 1000:F1} ms = {oursRate:F1} images/s"));
        Console.WriteLine(Format($"PyTorch DDP (gloo, 2 proc): median step {Median(ddp) * 1000:F1} ms, p90 {Percentile(ddp, 0.9) * 1000:F1} ms = {ddpRate:F1} images/s"));
        Console.WriteLine(Format($"DDP with our G kernels:     median step {Median(ddpOurKernels) * 1000:F1} ms, p90 {Percentile(ddpOurKernels, 0.9) * 1000:F1} ms = {sameKernelsRate:F1} images/s"));
        Console.WriteLine(Format($"ratio ours/DDP images/s = {oursRate / ddpRate:F2}x (target >= 1.0x); against DDP with our kernels (the runtime alone) {oursRate / sameKernelsRate:F2}x"));
        return 0;
    }

    private static async Task<double[]> MeasureOursAsync(int batch, int steps, int warmup, int shards, int bucket, bool sharedMemory)
    {
        await using var cluster = await BenchmarkCluster.StartAsync(sharedMemory: sharedMemory);
        var plan = new TrainingPlan
        {
            BatchPerWorker = batch,
            Steps = warmup + steps,
            WorldSize = World,
            GeneratorShards = shards,
            DiscriminatorShards = shards,
            ThreadsPerWorker = 1,
            BucketElements = bucket,
            Devices = [$"{BenchmarkCluster.SiloA}/cpu:0", $"{BenchmarkCluster.SiloB}/cpu:0"],
        };
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>($"e2e-{Guid.NewGuid():N}");
        await coordinator.Submit(plan);
        var progress = new List<StepProgress>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await foreach (var entry in coordinator.Watch(0, CancellationToken.None).WithCancellation(timeout.Token))
        {
            if (entry.Step is { } step)
            {
                progress.Add(step);
            }
            else if (entry.State.IsTerminal() && entry.State != ExperimentState.Completed)
            {
                throw new InvalidOperationException($"our run ended {entry.State}: {entry.Message}");
            }
        }

        var timed = progress.Skip(warmup).ToArray();
        Console.WriteLine(Format($"  ours: steps {string.Join(" ", timed.Select(s => $"{s.StepSeconds * 1000:F0}"))} ms; slowest rank's compute median {Median([.. timed.Select(s => s.ComputeSeconds * 1000)]):F0} ms, waiting for shards median {Median([.. timed.Select(s => s.CommunicationSeconds * 1000)]):F0} ms; final G loss {timed[^1].GeneratorLoss:F3}"));
        return [.. timed.Select(s => s.StepSeconds)];
    }

    private static double[] MeasureDdp(int batch, int steps, int warmup, bool ourKernels)
    {
        string[] arguments = ["--world", $"{World}", "--batch", $"{batch}", "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", "1"];
        var output = PythonPeer.Run(PythonPeer.Script("ddp_peer.py"), ourKernels ? [.. arguments, "--gencluster-kernels"] : arguments, TimeSpan.FromMinutes(20));
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var seconds = json.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Console.WriteLine(Format($"  {(ourKernels ? "ddp, our kernels" : "ddp")}: steps {string.Join(" ", seconds.Select(s => $"{s * 1000:F0}"))} ms (torch {json.RootElement.GetProperty("torch").GetString()}); final G loss {json.RootElement.GetProperty("final_g_loss").GetDouble():F3}"));
        return seconds;
    }
}
