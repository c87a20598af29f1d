using System.Text.Json;
using GenCluster.Datasets;
using GenCluster.Testing;
using GenCluster.Torch;
using GenCluster.Torch.Serialization;
using GenCluster.Training.Gan;
using GenCluster.Training.Optim;
using Xunit.Abstractions;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests;

/// <summary>
/// Our DCGAN step against PyTorch (python3-torch) as an independent peer: same initial weights,
/// same real batch, same noise; the first 3 steps' losses against stock PyTorch, and 10 steps' losses and the final state
/// against PyTorch computing G's transposed convolutions with our shim's kernels.
/// </summary>
public sealed class PyTorchInteropTests(ITestOutputHelper output)
{
    private const int Steps = 10;
    private const int StockSteps = 3;
    private const int Batch = 64;
    private const double Tolerance = 1e-4;

    [Fact]
    public void Ten_dcgan_steps_match_pytorch_losses_and_parameters()
    {
        using var dir = new TemporaryDirectory("dcgan-interop");
        set_num_threads(1);
        manual_seed(2024);
        var options = new DcganOptions();
        using var g = new DcganGenerator(options);
        using var d = new DcganDiscriminator(options);
        SafeTensors.Save(g.state_dict(), dir.File("init_G.safetensors"));
        SafeTensors.Save(d.state_dict(), dir.File("init_D.safetensors"));

        // A real Fashion-MNIST batch and fixed noise, shared with the peer.
        var data = new FashionMnist(FashionMnistSplit.Train);
        var images = new float[Batch * FashionMnist.PixelsPerImage];
        data.CopyBatch(Enumerable.Range(0, Batch).ToArray(), images, new long[Batch]);
        using var real = tensor(images, [Batch, 1, 28, 28]);
        using var noiseGenerator = new Generator(99);
        var noise = Enumerable.Range(0, Steps).Select(_ => randn([Batch, options.LatentSize, 1, 1], generator: noiseGenerator)).ToList();
        var inputs = new List<KeyValuePair<string, Tensor>> { new("real", real) };
        inputs.AddRange(noise.Select((n, i) => new KeyValuePair<string, Tensor>($"noise.{i}", n)));
        SafeTensors.Save(inputs, dir.File("inputs.safetensors"));

        using var step = new GanStep(g, d);
        var adam = new AdamOptions { LearningRate = 2e-4, Beta1 = 0.5, Beta2 = 0.999 };
        var optD = new Adam((int)step.DiscriminatorBuffer.Length, adam);
        var optG = new Adam((int)step.GeneratorBuffer.Length, adam);
        var ours = new List<(float D, float G)>();
        for (var i = 0; i < Steps; i++)
        {
            var dPhase = step.DiscriminatorBackward(real, noise[i]);
            optD.Step(step.DiscriminatorBuffer.ParameterSpan, step.DiscriminatorBuffer.GradientSpan);
            var gPhase = step.GeneratorBackward();
            optG.Step(step.GeneratorBuffer.ParameterSpan, step.GeneratorBuffer.GradientSpan);
            ours.Add((dPhase.Loss, gPhase.Loss));
        }

        // Stock PyTorch computes G's transposed convolutions with another kernel, so the runs drift apart by rounding,
        // which Adam amplifies (a near-zero gradient element that changes sign moves its parameter by 2·lr; D's loss
        // differed by 4e-4 at step 5). The first StockSteps steps must agree: from step 1 on their losses depend on
        // step 0's gradients of G and D, through every kernel. Then PyTorch computing the transposed convolutions as
        // our shim does (--gencluster-kernels) must agree on every step and the final state.
        var stock = RunPeer(dir, StockSteps, ourKernels: false);
        for (var i = 0; i < StockSteps; i++)
        {
            output.WriteLine($"step {i} against stock PyTorch: D {ours[i].D:F6} vs {stock[i].D:F6}, G {ours[i].G:F6} vs {stock[i].G:F6}");
            RelativeDifference(ours[i].D, stock[i].D).Should().BeLessThan(Tolerance, $"D loss at step {i}, stock PyTorch");
            RelativeDifference(ours[i].G, stock[i].G).Should().BeLessThan(Tolerance, $"G loss at step {i}, stock PyTorch");
        }

        var theirs = RunPeer(dir, Steps, ourKernels: true);
        for (var i = 0; i < Steps; i++)
        {
            output.WriteLine($"step {i}: D {ours[i].D:F6} vs {theirs[i].D:F6}, G {ours[i].G:F6} vs {theirs[i].G:F6}");
            RelativeDifference(ours[i].D, theirs[i].D).Should().BeLessThan(Tolerance, $"D loss at step {i}");
            RelativeDifference(ours[i].G, theirs[i].G).Should().BeLessThan(Tolerance, $"G loss at step {i}");
        }

        CompareStates(g, dir.File("final_G.safetensors"));
        CompareStates(d, dir.File("final_D.safetensors"));
    }

    private static List<(double D, double G)> RunPeer(TemporaryDirectory dir, int steps, bool ourKernels)
    {
        string[] arguments = ["interop", dir.Path, "--steps", $"{steps}"];
        PythonPeer.Run(PythonPeer.Script("dcgan_peer.py"), ourKernels ? [.. arguments, "--gencluster-kernels"] : arguments, TimeSpan.FromMinutes(5));
        using var losses = JsonDocument.Parse(File.ReadAllText(dir.File("losses.json")));
        var result = losses.RootElement.EnumerateArray().Select(e => (D: e.GetProperty("d").GetDouble(), G: e.GetProperty("g").GetDouble())).ToList();
        result.Should().HaveCount(steps);
        return result;
    }

    private void CompareStates(GenCluster.Torch.Modules.Module model, string peerFile)
    {
        var (peer, _) = SafeTensors.Load(peerFile);
        try
        {
            var own = model.state_dict();
            peer.Keys.Should().BeEquivalentTo(own.Select(p => p.Key));
            foreach (var (name, tensor) in own)
            {
                if (tensor.dtype == ScalarType.Int64)
                {
                    tensor.equal(peer[name]).Should().BeTrue($"{name} must match exactly");
                    continue;
                }

                var a = tensor.ToArray<float>();
                var b = peer[name].ToArray<float>();
                var diff = Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
                var norm = Math.Sqrt(b.Sum(y => (double)y * y));
                var relative = diff / Math.Max(norm, 1e-12);
                output.WriteLine($"{name}: relative L2 difference {relative:E2}");
                relative.Should().BeLessThan(Tolerance, $"parameter {name}");
            }
        }
        finally
        {
            foreach (var t in peer.Values)
            {
                t.Dispose();
            }
        }
    }

    private static double RelativeDifference(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12);
}
