using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GenCluster.Testing;
using GenCluster.Training.Gan;
using GenCluster.Training.Optim;
using static GenCluster.Torch.torch;

namespace GenCluster.Benchmarks;

/// <summary>
/// DCGAN step time (D update + G update), ours vs PyTorch eager running the same recipe, in the
/// same run and alternating rounds so machine noise hits both alike. Prints medians and the ratio.
/// </summary>
internal static class GanStepBenchmark
{
    public static int Run(BenchmarkArguments args)
    {
        Console.WriteLine($"GAN step benchmark: batch {args.Batch}, {args.Threads} threads, {args.Warmup} warm-up + {args.Steps} timed steps, {args.Rounds} rounds");
        Console.WriteLine($"environment: {Environment.ProcessorCount} cores, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}");
        var ours = new List<double>();
        var peer = new List<double>();
        var peerFrozen = new List<double>();
        for (var round = 0; round < args.Rounds; round++)
        {
            ours.AddRange(MeasureOurs(args));
            peer.AddRange(MeasurePeer(args, freezeD: false));
            peerFrozen.AddRange(MeasurePeer(args, freezeD: true));
        }

        var oursMedian = Median(ours);
        var peerMedian = Median(peer);
        var frozenMedian = Median(peerFrozen);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours (C# binding):                    median {oursMedian:F1} ms/step"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PyTorch eager (dcgan/main.py recipe): median {peerMedian:F1} ms/step"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PyTorch eager, D frozen in G phase:   median {frozenMedian:F1} ms/step"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio ours/PyTorch = {oursMedian / peerMedian:F3} (target <= 1.00); ours/PyTorch-frozen-D = {oursMedian / frozenMedian:F3}"));
        return 0;
    }

    private static List<double> MeasureOurs(BenchmarkArguments args)
    {
        set_num_threads(args.Threads);
        manual_seed(1);
        var model = new DcganOptions();
        using var g = new DcganGenerator(model);
        using var d = new DcganDiscriminator(model);
        using var step = new GanStep(g, d);
        var adam = new AdamOptions { LearningRate = 2e-4, Beta1 = 0.5 };
        var optG = new Adam((int)step.GeneratorBuffer.Length, adam);
        var optD = new Adam((int)step.DiscriminatorBuffer.Length, adam);
        using var real = (rand([args.Batch, 1, 28, 28]) * 2 - 1).DetachFromDisposeScope();
        var times = new List<double>();
        for (var i = 0; i < args.Warmup + args.Steps; i++)
        {
            using var noise = randn([args.Batch, model.LatentSize, 1, 1]);
            var clock = Stopwatch.StartNew();
            step.DiscriminatorBackward(real, noise);
            optD.Step(step.DiscriminatorBuffer.ParameterSpan, step.DiscriminatorBuffer.GradientSpan);
            step.GeneratorBackward();
            optG.Step(step.GeneratorBuffer.ParameterSpan, step.GeneratorBuffer.GradientSpan);
            if (i >= args.Warmup)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    private static List<double> MeasurePeer(BenchmarkArguments args, bool freezeD)
    {
        var arguments = new List<string> { "bench", "--steps", $"{args.Steps}", "--warmup", $"{args.Warmup}", "--batch", $"{args.Batch}", "--threads", $"{args.Threads}" };
        if (freezeD)
        {
            arguments.Add("--freeze-d");
        }

        var output = PythonPeer.Run(PythonPeer.Script("dcgan_peer.py"), arguments, TimeSpan.FromMinutes(10));
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("times_ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
