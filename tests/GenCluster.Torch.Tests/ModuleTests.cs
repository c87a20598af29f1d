using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;
using F = GenCluster.Torch.torch.nn.functional;

namespace GenCluster.Torch.Tests;

/// <summary>Layers, containers, state dicts and training/evaluation behaviour.</summary>
public class ModuleTests
{
    /// <summary>A two-level model, to check dotted names the way PyTorch forms them.</summary>
    internal sealed class Net : Module
    {
        public Net()
        {
            features = register_module(nameof(features), nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), nn.BatchNorm2d(2), nn.LeakyReLU(0.2), nn.Flatten()));
            head = register_module(nameof(head), nn.Linear(2 * 4 * 4, 3));
        }

        public Sequential features { get; }

        public Linear head { get; }

        public override Tensor forward(Tensor input)
        {
            using var h = features.forward(input);
            return head.forward(h);
        }
    }

    [Fact]
    public void State_dict_names_follow_pytorch()
    {
        using var model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4));
        model.state_dict().Select(p => p.Key).Should().Equal(
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked");
        model.named_parameters().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias");
        model.named_buffers().Select(p => p.Name).Should().Equal("1.running_mean", "1.running_var", "1.num_batches_tracked");
        model.named_children().Select(c => c.Name).Should().Equal("0", "1");
        model.parameters().Should().HaveCount(4);

        using var net = new Net();
        net.state_dict().Select(p => p.Key).Should().Equal(
            "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
            "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
            "head.weight", "head.bias");
    }

    [Fact]
    public void State_dict_names_and_shapes_match_a_pytorch_model()
    {
        using var model = nn.Sequential(
            nn.Conv2d(3, 4, 3, bias: false), nn.BatchNorm2d(4), nn.ReLU(), nn.ConvTranspose2d(4, 2, 4, stride: 2, padding: 1),
            nn.Flatten(), nn.Linear(2 * 8 * 8, 5), nn.BatchNorm1d(5), nn.Dropout(0.3), nn.Embedding(7, 3));
        var ours = model.state_dict().Select(p => $"{p.Key} {string.Join(",", p.Value.shape)} {p.Value.dtype.PyTorchName()}").ToArray();
        var theirs = PythonPeer.RunInline("""
            import torch
            from torch import nn
            m = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1),
                              nn.Flatten(), nn.Linear(2 * 8 * 8, 5), nn.BatchNorm1d(5), nn.Dropout(0.3), nn.Embedding(7, 3))
            for k, v in m.state_dict().items():
                print(k, ",".join(str(s) for s in v.shape), v.dtype)
            """);
        ours.Should().Equal(theirs);
    }

    [Fact]
    public void Load_state_dict_copies_values_in_place()
    {
        using var scope = NewDisposeScope();
        using var a = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2));
        using var b = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2));
        using (no_grad())
        {
            b.state_dict()[4].Value.fill_(0.75); // running_var
        }

        var weightBefore = a.parameters().First();
        a.load_state_dict(b.state_dict().ToDictionary(p => p.Key, p => p.Value));
        a.parameters().First().Should().BeSameAs(weightBefore, "parameters are updated in place, not replaced");
        foreach (var ((name, ta), (_, tb)) in a.state_dict().Zip(b.state_dict()))
        {
            ta.Values().Should().Equal(tb.Values(), name);
            ta.Should().NotBeSameAs(tb);
        }

        a.state_dict()[4].Value.ToArray<float>().Should().Equal(0.75f, 0.75f);
    }

    [Fact]
    public void Load_state_dict_lists_missing_unexpected_and_mismatched_keys()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2));
        var state = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        state.Remove("0.bias");
        state.Remove("1.running_var");
        state["2.weight"] = zeros([1]);
        state["0.weight"] = zeros([2, 4]);
        var before = model.state_dict()[0].Value.ToArray<float>();

        var act = () => model.load_state_dict(state);
        var error = act.Should().Throw<ArgumentException>().Which.Message;
        error.Should().Contain("missing keys [0.bias, 1.running_var]");
        error.Should().Contain("unexpected keys [2.weight]");
        error.Should().Contain("0.weight: expected [2, 3], got [2, 4]");
        model.state_dict()[0].Value.ToArray<float>().Should().Equal(before, "nothing is copied when the dict does not match");

        model.Invoking(m => m.load_state_dict(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Linear_forward_matches_reference_and_params_are_float32_leaves()
    {
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(4, 3);
        layer.weight.shape.Should().Equal(3, 4);
        layer.bias!.shape.Should().Equal(3);
        layer.weight.dtype.Should().Be(ScalarType.Float32);
        layer.weight.requires_grad.Should().BeTrue();
        layer.weight.is_leaf.Should().BeTrue();

        var x = T.Doubles(8, 40);
        var w = layer.weight.Values();
        var b = layer.bias.Values();
        var expected = Reference.MatMul(x, new Nd(w, 3, 4).Permute(1, 0).Data, 2, 4, 3).Select((v, i) => v + b[i % 3]).ToArray();
        var y = layer.call(T.F32(x.ToFloats(), 2, 4));
        y.Values().ShouldBeClose(expected, 1e-5, 1e-5);
        y.requires_grad.Should().BeTrue();

        using var noBias = nn.Linear(4, 3, bias: false);
        noBias.bias.Should().BeNull();
        noBias.state_dict().Select(p => p.Key).Should().Equal("weight");
    }

    [Fact]
    public void Conv_modules_forward_match_references()
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(2, 3, 3, stride: 2, padding: 1);
        conv.weight.shape.Should().Equal(3, 2, 3, 3);
        var x = new Nd(T.Doubles(2 * 2 * 5 * 5, 41), 2, 2, 5, 5);
        var expected = Reference.Conv2d(x, new Nd(conv.weight.Values(), 3, 2, 3, 3), conv.bias!.Values(), 2, 1);
        conv.forward(T.F32(x.Data.ToFloats(), x.LongShape)).ShouldEqual(expected.Data, expected.LongShape, 1e-5, 1e-4);

        using var deconv = nn.ConvTranspose2d(2, 3, 4, stride: 2, padding: 1);
        deconv.weight.shape.Should().Equal(2, 3, 4, 4);
        var expectedT = Reference.ConvTranspose2d(x, new Nd(deconv.weight.Values(), 2, 3, 4, 4), deconv.bias!.Values(), 2, 1);
        expectedT.Shape.Should().Equal(2, 3, 10, 10);
        deconv.forward(T.F32(x.Data.ToFloats(), x.LongShape)).ShouldEqual(expectedT.Data, expectedT.LongShape, 1e-5, 1e-4);

        using var grouped = nn.Conv2d(4, 2, 1, groups: 2, bias: false);
        grouped.weight.shape.Should().Equal(2, 2, 1, 1);
        grouped.bias.Should().BeNull();
    }

    [Fact]
    public void BatchNorm_updates_running_stats_with_momentum_in_training_only()
    {
        using var scope = NewDisposeScope();
        using var bn = nn.BatchNorm1d(3);
        bn.momentum.Should().Be(0.1);
        bn.eps.Should().Be(1e-5);
        bn.weight!.ToArray<float>().Should().Equal(1f, 1f, 1f);
        bn.bias!.ToArray<float>().Should().Equal(0f, 0f, 0f);
        bn.running_mean!.ToArray<float>().Should().Equal(0f, 0f, 0f);
        bn.running_var!.ToArray<float>().Should().Equal(1f, 1f, 1f);
        bn.num_batches_tracked!.dtype.Should().Be(ScalarType.Int64);
        bn.num_batches_tracked.item<long>().Should().Be(0);

        var expectedMean = new double[3];
        var expectedVar = new double[] { 1, 1, 1 };
        for (var step = 1; step <= 2; step++)
        {
            var x = new Nd(T.Doubles(8 * 3, 42 + step, -1, 3), 8, 3);
            var y = bn.forward(T.F32(x.Data.ToFloats(), 8, 3));
            var expectedY = new double[24];
            for (var c = 0; c < 3; c++)
            {
                var column = Enumerable.Range(0, 8).Select(i => (double)(float)x[i, c]).ToList();
                var mean = column.Average();
                var biased = column.Sum(v => (v - mean) * (v - mean)) / 8;
                expectedMean[c] = (0.9 * expectedMean[c]) + (0.1 * mean);
                expectedVar[c] = (0.9 * expectedVar[c]) + (0.1 * biased * 8 / 7);
                for (var i = 0; i < 8; i++)
                {
                    expectedY[(i * 3) + c] = (column[i] - mean) / Math.Sqrt(biased + 1e-5);
                }
            }

            y.Values().ShouldBeClose(expectedY, 1e-4, 1e-4);
            bn.running_mean.Values().ShouldBeClose(expectedMean, 1e-6, 1e-5);
            bn.running_var.Values().ShouldBeClose(expectedVar, 1e-6, 1e-5);
            bn.num_batches_tracked.item<long>().Should().Be(step);
        }

        bn.eval();
        bn.training.Should().BeFalse();
        var meanBefore = bn.running_mean.ToArray<float>();
        var varBefore = bn.running_var.ToArray<float>();
        var xe = T.Doubles(4 * 3, 50, -1, 1);
        var ye = bn.forward(T.F32(xe.ToFloats(), 4, 3));
        var expectedEval = xe.Select((v, i) => ((float)v - meanBefore[i % 3]) / Math.Sqrt(varBefore[i % 3] + 1e-5)).ToArray();
        ye.Values().ShouldBeClose(expectedEval, 1e-5, 1e-4);
        bn.running_mean.ToArray<float>().Should().Equal(meanBefore);
        bn.running_var.ToArray<float>().Should().Equal(varBefore);
        bn.num_batches_tracked.item<long>().Should().Be(2, "evaluation does not count batches");
    }

    [Fact]
    public void BatchNorm_checks_input_rank_and_supports_options()
    {
        using var scope = NewDisposeScope();
        using var bn2 = nn.BatchNorm2d(2, momentum: 0.5);
        bn2.Invoking(m => m.forward(zeros([4, 2]))).Should().Throw<ArgumentException>().WithMessage("*4-D*");
        using var bn1 = nn.BatchNorm1d(2);
        bn1.forward(randn([4, 2, 5])).shape.Should().Equal(4, 2, 5);
        bn1.Invoking(m => m.forward(zeros([1, 2, 3, 4]))).Should().Throw<ArgumentException>();

        var x = T.F32([1, 3, 5, 7], 2, 2, 1, 1);
        bn2.forward(x);
        bn2.running_mean!.ToArray<float>().Should().Equal(0.5f * 3, 0.5f * 5); // momentum 0.5 from 0
        bn2.running_var!.ToArray<float>().Should().Equal((0.5f * 1) + (0.5f * 8), (0.5f * 1) + (0.5f * 8));

        using var plain = nn.BatchNorm1d(2, affine: false, track_running_stats: false);
        plain.state_dict().Should().BeEmpty();
        plain.eval(); // without running stats, evaluation still normalises with batch statistics
        plain.forward(T.F32([1, 10, 3, 20], 2, 2)).Values().ShouldBeClose([-1, -1, 1, 1], 1e-4);

        FluentActions.Invoking(() => nn.BatchNorm2d(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Dropout_module_is_identity_in_eval_and_drops_in_training()
    {
        using var scope = NewDisposeScope();
        using var dropout = nn.Dropout(0.5);
        dropout.p.Should().Be(0.5);
        var x = T.Doubles(1000, 60, 1, 2);
        var input = T.F64(x);

        dropout.eval();
        var y = dropout.forward(input);
        y.ToArray<double>().Should().Equal(x);

        dropout.train();
        dropout.generator = new Generator(3);
        var yt = dropout.forward(input).ToArray<double>();
        yt.Count(v => v == 0).Should().BeInRange(400, 600);
        Enumerable.Range(0, x.Length).Should().OnlyContain(i => yt[i] == 0 || Math.Abs(yt[i] - (2 * x[i])) < 1e-12);
        dropout.generator.manual_seed(3);
        dropout.forward(input).ToArray<double>().Should().Equal(yt, "the module's generator drives the mask");
        dropout.generator.Dispose();

        FluentActions.Invoking(() => nn.Dropout(1.5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => nn.Dropout(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Embedding_module_initialises_normal_and_zeroes_padding_row()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var embedding = nn.Embedding(400, 50, padding_idx: -1);
        var w = embedding.weight.ToArray<float>();
        w.Skip(399 * 50).Should().OnlyContain(v => v == 0f, "padding_idx -1 is the last row");
        var rest = w.Take(399 * 50).Select(v => (double)v).ToArray();
        rest.Average().Should().BeApproximately(0, 0.03);
        Math.Sqrt(rest.Select(v => v * v).Average()).Should().BeApproximately(1, 0.03);

        var idx = T.I64([399, 3, 399, 7]);
        var y = embedding.forward(idx);
        y.shape.Should().Equal(4, 50);
        y.ToArray<float>().Skip(50).Take(50).Should().Equal(w.Skip(3 * 50).Take(50));
        y.sum().backward();
        var grad = embedding.weight.grad!.ToArray<float>();
        grad.Skip(399 * 50).Should().OnlyContain(v => v == 0f);
        grad.Skip(3 * 50).Take(50).Should().OnlyContain(v => v == 1f);

        FluentActions.Invoking(() => nn.Embedding(5, 3, padding_idx: 5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => nn.Embedding(0, 3)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Activation_modules_and_flatten_compute()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(24, 61, -2, 2);
        var input = T.F64(x, 2, 3, 4);
        nn.ReLU().forward(input).Values().ShouldBeClose(x.Select(v => Math.Max(0, v)).ToArray(), 0, 0);
        var leaky = nn.LeakyReLU(0.1);
        leaky.negative_slope.Should().Be(0.1);
        leaky.forward(input).Values().ShouldBeClose(x.Select(v => v > 0 ? v : 0.1 * v).ToArray(), 1e-15);
        nn.LeakyReLU().forward(input).Values().ShouldBeClose(x.Select(v => v > 0 ? v : 0.01 * v).ToArray(), 1e-15);
        nn.Tanh().forward(input).Values().ShouldBeClose(x.Select(Math.Tanh).ToArray(), 1e-12);
        nn.Sigmoid().forward(input).Values().ShouldBeClose(x.Select(T.Sigmoid).ToArray(), 1e-12);
        nn.Flatten().forward(input).ShouldEqual(x, [2, 12], 0, 0);
        nn.Flatten(0, 1).forward(input).ShouldEqual(x, [6, 4], 0, 0);
    }

    [Fact]
    public void Sequential_chains_layers_and_exposes_them()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 2));
        model.Count.Should().Be(3);
        model[1].Should().BeOfType<Tanh>();
        var first = (Linear)model[0];
        var last = (Linear)model[2];
        var x = randn([3, 4]);
        var expected = last.forward(first.forward(x).tanh());
        model.forward(x).ShouldEqual(expected.Values(), [3, 2], 1e-6);

        using var empty = nn.Sequential();
        var same = empty.forward(x);
        same.Should().NotBeSameAs(x);
        same.Values().Should().Equal(x.Values());
        FluentActions.Invoking(() => nn.Sequential(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Train_eval_propagate_and_apply_visits_every_module()
    {
        using var net = new Net();
        net.training.Should().BeTrue();
        net.eval().Should().BeSameAs(net);
        var visited = new List<Module>();
        net.apply(visited.Add);
        visited.Should().HaveCount(7); // conv, bn, leaky, flatten, sequential, linear, net
        visited.Last().Should().BeSameAs(net);
        visited.Should().OnlyContain(m => !m.training);
        net.train();
        visited.Should().OnlyContain(m => m.training);
    }

    [Fact]
    public void Modules_created_in_a_scope_outlive_it_and_dispose_their_tensors()
    {
        Linear layer;
        using (NewDisposeScope())
        {
            layer = nn.Linear(3, 2);
        }

        layer.weight.IsDisposed.Should().BeFalse("parameters leave the dispose scope");
        using (NewDisposeScope())
        {
            layer.forward(ones([1, 3])).shape.Should().Equal(1, 2);
        }

        using var bn = nn.BatchNorm1d(2);
        var buffers = bn.named_buffers().Select(b => b.Tensor).ToList();
        layer.Dispose();
        layer.weight.IsDisposed.Should().BeTrue();
        layer.bias!.IsDisposed.Should().BeTrue();
        layer.Dispose(); // idempotent
        bn.Dispose();
        buffers.Should().OnlyContain(b => b.IsDisposed);
    }

    [Fact]
    public void Invalid_layer_arguments_throw()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => nn.Linear(0, 3)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => nn.Conv2d(3, 4, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => nn.Conv2d(3, 4, 3, groups: 2)).Should().Throw<ArgumentException>().WithMessage("*divisible*");
        FluentActions.Invoking(() => nn.ConvTranspose2d(3, 4, 3, stride: 1, output_padding: 1)).Should().Throw<ArgumentOutOfRangeException>();
        using var ok = nn.ConvTranspose2d(3, 4, 3, stride: 2, output_padding: 1);
        ok.forward(zeros([1, 3, 5, 5])).shape.Should().Equal(1, 4, 12, 12);
    }

    [Fact]
    public void Functional_and_module_losses_agree_on_gradients()
    {
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(3, 2);
        var x = randn([4, 3]);
        var y = rand([4, 2]);
        var loss = nn.BCEWithLogitsLoss().call(layer.forward(x), y);
        loss.backward();
        var grad = layer.weight.grad!.Values();

        using var w = layer.weight.detach().to(ScalarType.Float64).requires_grad_();
        var b = layer.bias!.detach().to(ScalarType.Float64);
        F.binary_cross_entropy_with_logits(F.linear(x.to(ScalarType.Float64), w, b), y.to(ScalarType.Float64)).backward();
        grad.ShouldBeClose(w.grad!.Values(), 1e-6, 1e-4);
    }
}
