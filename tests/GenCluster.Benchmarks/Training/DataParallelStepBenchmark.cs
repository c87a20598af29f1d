using GenCluster.Benchmarks.Runtime;
using GenCluster.Contracts.Training;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Training;

/// <summary>
/// A data-parallel DCGAN step (the pytorch/examples sizes: nz 100, ngf = ndf = 64) on two silo processes, one worker
/// each (silo-a/cpu:0, silo-b/cpu:0), through the coordinator, worker and shard grains: step time at the coordinator,
/// the slowest rank's compute and shard wait, and the payload bytes one worker moves, against the ring all-reduce
/// volume 2·P·(W−1)/W. Options: <c>--batch</c> per worker (32), <c>--steps</c> timed (30), <c>--warmup</c> (5),
/// <c>--threads</c> per worker (1), <c>--shards</c> per model (2).
/// </summary>
internal static class DataParallelStepBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int batch = args.Get("--batch", 32), steps = args.Get("--steps", 30), warmup = args.Get("--warmup", 5);
        int threads = args.Get("--threads", 1), shards = args.Get("--shards", 2);
        PrintEnvironment(Format($"dp-step: DCGAN 28x28, 2 workers x batch {batch}, {shards}+{shards} shards, {threads} torch thread(s) per worker, {warmup} warm-up + {steps} timed steps"));

        await using var cluster = await BenchmarkCluster.StartAsync();
        var plan = new TrainingPlan
        {
            BatchPerWorker = batch,
            Steps = warmup + steps,
            WorldSize = 2,
            GeneratorShards = shards,
            DiscriminatorShards = shards,
            ThreadsPerWorker = threads,
            Devices = [$"{BenchmarkCluster.SiloA}/cpu:0", $"{BenchmarkCluster.SiloB}/cpu:0"],
        };
        var coordinator = cluster.Client.GetGrain<IExperimentCoordinatorGrain>($"dp-step-{Guid.NewGuid():N}");
        await coordinator.Submit(plan);
        var progress = new List<StepProgress>();
        string? setup = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        await foreach (var entry in coordinator.Watch(0, CancellationToken.None).WithCancellation(timeout.Token))
        {
            if (entry.Step is { } step)
            {
                progress.Add(step);
            }
            else if (entry.State == ExperimentState.Running)
            {
                setup = entry.Message;
            }
            else if (entry.State.IsTerminal() && entry.State != ExperimentState.Completed)
            {
                Console.Error.WriteLine($"the run ended {entry.State}: {entry.Message}");
                return 1;
            }
        }

        PrintLoad("after the run");
        Console.WriteLine($"setup: {setup}");
        var timed = progress.Skip(warmup).ToList();
        var parameters = (await coordinator.GetParameters(ModelRole.Generator)).Length + (long)(await coordinator.GetParameters(ModelRole.Discriminator)).Length;
        double stepMs = Median([.. timed.Select(s => s.StepSeconds * 1000)]);
        Console.WriteLine(Format($"step (coordinator barrier to barrier): median {stepMs:F1} ms, p90 {Percentile([.. timed.Select(s => s.StepSeconds * 1000)], 0.9):F1} ms = {2 * batch / (stepMs / 1000):F0} images/s"));
        Console.WriteLine(Format($"slowest rank's forward/backward: median {Median([.. timed.Select(s => s.ComputeSeconds * 1000)]):F1} ms; waiting for shards after the last bucket: median {Median([.. timed.Select(s => s.CommunicationSeconds * 1000)]):F1} ms"));
        Console.WriteLine(Format($"payload per worker per step: {timed[^1].BytesPerWorker / 1e6:F2} MB sent + received for P = {parameters} parameters (G + D); ring all-reduce would move 2*P*(W-1)/W*4 = {2.0 * parameters * 0.5 * 4 / 1e6:F2} MB"));
        Console.WriteLine(Format($"final losses: D {timed[^1].DiscriminatorLoss:F3}, G {timed[^1].GeneratorLoss:F3}"));
        return 0;
    }
}
