using GenCluster.Testing;
using GenCluster.Torch;
using GenCluster.Torch.Serialization;
using GenCluster.Training.Optim;
using Xunit.Abstractions;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests;

/// <summary>Our flat-buffer Adam and SGD against torch.optim on the same parameters and gradient sequence.</summary>
public sealed class OptimizerInteropTests(ITestOutputHelper output)
{
    private const int Steps = 6;

    public static TheoryData<int, double> AdamCases => new()
    {
        { 4096, 0 },
        { 1000, 0 },     // not a multiple of the SIMD width: exercises the tails
        { 5003, 1e-2 },  // L2 weight decay
    };

    [Theory]
    [MemberData(nameof(AdamCases))]
    public void Adam_matches_torch_optim_Adam_bit_for_bit(int length, double weightDecay)
    {
        var options = new AdamOptions { LearningRate = 2e-4, Beta1 = 0.5, Beta2 = 0.999, WeightDecay = weightDecay };
        var (parameters, gradients) = RandomProblem(length, seed: (ulong)length);
        var adam = new Adam(length, options);
        foreach (var g in gradients)
        {
            adam.Step(parameters.Ours, g);
        }

        var peer = RunPeer("adam", parameters.Initial, gradients,
            ["--lr", "2e-4", "--beta1", "0.5", "--beta2", "0.999", "--weight-decay", $"{weightDecay:R}"]);
        var differences = (
            Param: CountDifferences("param", parameters.Ours, peer["param"]),
            ExpAvg: CountDifferences("exp_avg", adam.ExpAvg, peer["exp_avg"]),
            ExpAvgSq: CountDifferences("exp_avg_sq", adam.ExpAvgSq, peer["exp_avg_sq"]));
        differences.Should().Be((0, 0, 0));
    }

    [Theory]
    [InlineData(0.9, 0.0, false, 0.0)]
    [InlineData(0.9, 0.1, false, 1e-3)]
    [InlineData(0.8, 0.0, true, 0.0)]
    [InlineData(0.0, 0.0, false, 0.0)]
    public void Sgd_matches_torch_optim_SGD(double momentum, double dampening, bool nesterov, double weightDecay)
    {
        const int length = 3001;
        var options = new SgdOptions { LearningRate = 0.05, Momentum = momentum, Dampening = dampening, Nesterov = nesterov, WeightDecay = weightDecay };
        var (parameters, gradients) = RandomProblem(length, seed: 7);
        var sgd = new Sgd(length, options);
        foreach (var g in gradients)
        {
            sgd.Step(parameters.Ours, g);
        }

        var args = new List<string> { "--lr", "0.05", "--momentum", $"{momentum:R}", "--dampening", $"{dampening:R}", "--weight-decay", $"{weightDecay:R}" };
        if (nesterov)
        {
            args.Add("--nesterov");
        }

        var peer = RunPeer("sgd", parameters.Initial, gradients, args);
        var expected = peer["param"];
        var maxRelative = parameters.Ours.Zip(expected, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-6)).Max();
        output.WriteLine($"max relative difference {maxRelative:E2}");
        maxRelative.Should().BeLessThan(1e-5);
    }

    [Fact]
    public void Optimizers_reject_mismatched_spans_and_bad_options()
    {
        var adam = new Adam(4, new AdamOptions());
        var act = () => adam.Step(new float[4], new float[3]);
        act.Should().Throw<ArgumentException>().WithMessage("*4 parameters*3 gradients*");
        ((Action)(() => _ = new Adam(4, new AdamOptions { Beta2 = 1.0 }))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Beta2*");
        ((Action)(() => _ = new Sgd(4, new SgdOptions { Nesterov = true }))).Should().Throw<ArgumentException>().WithMessage("*Nesterov*");
        ((Action)(() => _ = new Sgd(4, new SgdOptions { LearningRate = -1 }))).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static ((float[] Initial, float[] Ours) Parameters, List<float[]> Gradients) RandomProblem(int length, ulong seed)
    {
        using var generator = new Generator(seed);
        using var p = randn([length], generator: generator);
        var initial = p.ToArray<float>();
        var gradients = new List<float[]>();
        for (var i = 0; i < Steps; i++)
        {
            // Mixed magnitudes, including gradients near epsilon where Adam is most sensitive.
            using var g = randn([length], generator: generator);
            using var scale = rand([length], generator: generator);
            using var scaled = g * (scale * 8 - 9).exp();
            gradients.Add(scaled.ToArray<float>());
        }

        return ((initial, (float[])initial.Clone()), gradients);
    }

    private static Dictionary<string, float[]> RunPeer(string kind, float[] initial, List<float[]> gradients, IEnumerable<string> options)
    {
        using var dir = new TemporaryDirectory("optim-interop");
        using (var scope = NewDisposeScope())
        {
            var inputs = new List<KeyValuePair<string, Tensor>> { new("param", tensor(initial)) };
            inputs.AddRange(gradients.Select((g, i) => new KeyValuePair<string, Tensor>($"grad.{i}", tensor(g))));
            SafeTensors.Save(inputs, dir.File("inputs.safetensors"));
        }

        PythonPeer.Run(PythonPeer.Script("optim_peer.py"), [kind, dir.Path, "--steps", $"{gradients.Count}", .. options], TimeSpan.FromMinutes(2));
        var (result, _) = SafeTensors.Load(dir.File("result.safetensors"));
        var arrays = result.ToDictionary(p => p.Key, p => p.Value.ToArray<float>());
        foreach (var t in result.Values)
        {
            t.Dispose();
        }

        return arrays;
    }

    private int CountDifferences(string name, float[] ours, float[] theirs)
    {
        ours.Length.Should().Be(theirs.Length);
        var differing = 0;
        var maxUlps = 0L;
        for (var i = 0; i < ours.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(theirs[i]))
            {
                if (differing++ < 3)
                {
                    output.WriteLine($"  [{i}] ours {ours[i]:R} theirs {theirs[i]:R}");
                }

                maxUlps = Math.Max(maxUlps, Math.Abs((long)BitConverter.SingleToInt32Bits(ours[i]) - BitConverter.SingleToInt32Bits(theirs[i])));
            }
        }

        output.WriteLine($"{name}: {differing} of {ours.Length} elements differ (max {maxUlps} ulps)");
        return differing;
    }
}
