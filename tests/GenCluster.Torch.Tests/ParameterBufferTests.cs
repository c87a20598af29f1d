using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Flat parameter and gradient buffers whose slices are the model's parameters and gradients.</summary>
public class ParameterBufferTests
{
    private static Sequential MakeModel() =>
        nn.Sequential(nn.Conv2d(1, 3, 3, padding: 1), nn.BatchNorm2d(3), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(3 * 4 * 4, 2));

    /// <summary>Two models with identical parameters and buffers.</summary>
    private static (Sequential Flat, Sequential Plain) MakeTwins()
    {
        var a = MakeModel();
        var b = MakeModel();
        b.load_state_dict(a.state_dict().ToDictionary(p => p.Key, p => p.Value));
        return (a, b);
    }

    private sealed class Float64Module : Module
    {
        public Float64Module()
        {
            register_parameter("ok", zeros([2]));
            register_parameter("wide", zeros([2], float64));
        }

        public override Tensor forward(Tensor input) => input.alias();
    }

    private sealed class NoParameters : Module
    {
        public override Tensor forward(Tensor input) => input.alias();
    }

    [Fact]
    public void Flatten_preserves_values_and_lays_parameters_out_contiguously()
    {
        using var scope = NewDisposeScope();
        using var model = MakeModel();
        var before = model.named_parameters().Select(p => (p.Name, Values: p.Tensor.ToArray<float>(), Shape: p.Tensor.shape)).ToList();
        using var flat = ParameterBuffer.Flatten(model);

        flat.Length.Should().Be(before.Sum(p => p.Values.Length));
        flat.Parameters.shape.Should().Equal(flat.Length);
        flat.Gradients.shape.Should().Equal(flat.Length);
        flat.Gradients.ToArray<float>().Should().OnlyContain(v => v == 0);

        flat.Layout.Select(s => s.Name).Should().Equal(before.Select(p => p.Name));
        long offset = 0;
        var all = flat.Parameters.ToArray<float>();
        for (var i = 0; i < before.Count; i++)
        {
            var slot = flat.Layout[i];
            slot.Offset.Should().Be(offset, "slots follow each other without gaps");
            slot.Shape.Should().Equal(before[i].Shape);
            slot.Length.Should().Be(before[i].Values.Length);
            all.Skip((int)slot.Offset).Take((int)slot.Length).Should().Equal(before[i].Values, slot.Name);
            offset += slot.Length;
        }

        offset.Should().Be(flat.Length);
        foreach (var ((name, p), i) in model.named_parameters().Select((entry, index) => (entry, index)))
        {
            p.ToArray<float>().Should().Equal(before[i].Values, name);
            p.shape.Should().Equal(before[i].Shape);
            p.requires_grad.Should().BeTrue();
            p.is_leaf.Should().BeTrue();
        }

        model.named_buffers().Select(b => b.Name).Should().Equal("1.running_mean", "1.running_var", "1.num_batches_tracked");
    }

    [Fact]
    public void Backward_accumulates_into_the_flat_gradients()
    {
        using var scope = NewDisposeScope();
        var (a, b) = MakeTwins();
        using var flatModel = a;
        using var plainModel = b;
        using var flat = ParameterBuffer.Flatten(flatModel);
        var x = randn([4, 1, 4, 4]);
        var target = randn([4, 2]);

        nn.MSELoss().call(flatModel.forward(x), target).backward();
        nn.MSELoss().call(plainModel.forward(x), target).backward();

        var flatGradients = flat.Gradients.ToArray<float>();
        flatGradients.Should().Contain(v => v != 0);
        foreach (var ((name, p), slot) in plainModel.named_parameters().Zip(flat.Layout))
        {
            slot.Name.Should().Be(name);
            var expected = p.grad!.Values();
            flatGradients.Skip((int)slot.Offset).Take((int)slot.Length).Select(v => (double)v).ToArray()
                .ShouldBeClose(expected, 1e-6, 1e-5, name);
        }

        // each parameter's .grad is a view of the flat buffer
        var firstGrad = flatModel.parameters().First().grad!;
        firstGrad.ToArray<float>().Should().Equal(flatGradients.Take((int)flat.Layout[0].Length));
        flat.GradientSpan[0] = 123f;
        firstGrad.ToArray<float>()[0].Should().Be(123f);
        flat.GradientSlice(flat.Layout[1].Offset, flat.Layout[1].Length).ToArray<float>()
            .Should().Equal(flatModel.parameters().ElementAt(1).grad!.ToArray<float>());
    }

    [Fact]
    public void Zero_grad_keeps_the_views_so_a_second_backward_lands_in_the_buffer()
    {
        using var scope = NewDisposeScope();
        var (a, b) = MakeTwins();
        using var flatModel = a;
        using var plainModel = b;
        using var flat = ParameterBuffer.Flatten(flatModel);
        var x1 = randn([2, 1, 4, 4]);
        var x2 = randn([2, 1, 4, 4]);

        flatModel.forward(x1).sum().backward();
        flat.zero_grad();
        flat.Gradients.ToArray<float>().Should().OnlyContain(v => v == 0);
        flatModel.parameters().First().grad!.ToArray<float>().Should().OnlyContain(v => v == 0);

        flatModel.forward(x2).sum().backward();
        plainModel.forward(x1).sum(); // same BatchNorm statistics history for both models
        plainModel.forward(x2).sum().backward();

        var gradients = flat.Gradients.Values();
        gradients.Should().Contain(v => v != 0);
        foreach (var ((name, p), slot) in plainModel.named_parameters().Zip(flat.Layout))
        {
            gradients.Skip((int)slot.Offset).Take((int)slot.Length).ToArray().ShouldBeClose(p.grad!.Values(), 1e-6, 1e-5, name);
        }

        // accumulation (no zero_grad) doubles into the same buffer
        var once = flat.Gradients.Values();
        flat.zero_grad();
        flatModel.forward(x2).sum().backward();
        flatModel.forward(x2).sum().backward();
        flat.Gradients.Values().ShouldBeClose(once.Select(v => 2 * v).ToArray(), 1e-5, 1e-4);
    }

    [Fact]
    public void Writing_the_parameter_span_changes_the_module_output()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Linear(3, 2);
        using var flat = ParameterBuffer.Flatten(model);
        flat.Layout.Select(s => (s.Name, s.Offset, s.Length)).Should().Equal(("weight", 0L, 6L), ("bias", 6L, 2L));

        float[] weight = [1, 2, 3, -1, 0, 0.5f];
        float[] bias = [0.25f, -4];
        weight.CopyTo(flat.ParameterSpan);
        bias.CopyTo(flat.ParameterSpan[6..]);

        model.weight.ToArray<float>().Should().Equal(weight);
        model.bias!.ToArray<float>().Should().Equal(bias);
        var y = model.forward(T.F32([1, 1, 2], 1, 3)).ToArray<float>();
        y.Should().Equal(1 + 2 + 6 + 0.25f, -1 + 0 + 1 - 4f);

        // a received slice written in place
        flat.ParameterSlice(6, 2).copy_(T.F32([10, 20]));
        model.bias.ToArray<float>().Should().Equal(10f, 20f);

        // load_state_dict writes through the views as well
        model.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = zeros([2, 3]), ["bias"] = T.F32([7, 8]) });
        flat.Parameters.ToArray<float>().Should().Equal(0f, 0f, 0f, 0f, 0f, 0f, 7f, 8f);
    }

    [Fact]
    public void Optimizer_style_update_through_the_flat_buffers_trains_the_model()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = nn.Linear(2, 1);
        using var flat = ParameterBuffer.Flatten(model);
        var x = T.F32([1, 2, -1, 0.5f, 3, -2, 0, 1], 4, 2);
        var target = T.F32([1, -1, 2, 0.5f], 4, 1);
        double Loss()
        {
            using var s = NewDisposeScope();
            using var g = no_grad();
            return nn.MSELoss().call(model.forward(x), target).item<double>();
        }

        var initial = Loss();
        for (var step = 0; step < 50; step++)
        {
            using var s = NewDisposeScope();
            flat.zero_grad();
            nn.MSELoss().call(model.forward(x), target).backward();
            using (no_grad())
            {
                flat.Parameters.add_(flat.Gradients, alpha: -0.05);
            }
        }

        Loss().Should().BeLessThan(initial * 0.5);
    }

    [Fact]
    public void Flatten_rejects_non_float32_parameters_and_empty_modules()
    {
        using var wide = new Float64Module();
        var act = () => ParameterBuffer.Flatten(wide);
        act.Should().Throw<ArgumentException>().WithMessage("*parameter 'wide' is torch.float64; flat buffers hold float32 only*");

        using var none = new NoParameters();
        FluentActions.Invoking(() => ParameterBuffer.Flatten(none)).Should().Throw<ArgumentException>().WithMessage("*no parameters*");
        FluentActions.Invoking(() => ParameterBuffer.Flatten(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Flatten_rejects_a_device_the_parameters_are_not_on()
    {
        using var model = nn.Linear(2, 2);
        var act = () => ParameterBuffer.Flatten(model, new Device(DeviceType.CUDA, 0));
        act.Should().Throw<ArgumentException>().WithMessage("*is on cpu, the buffer on cuda:0*");
    }

    [Fact]
    public void Flatten_leaves_no_temporary_handles_behind()
    {
        using var model = MakeModel();
        using var scope = NewDisposeScope();
        using var flat = ParameterBuffer.Flatten(model);
        scope.Count.Should().Be(0, "Flatten disposes its intermediate views (without a scope they would leak until GC)");
    }

    [Fact]
    public void Disposing_the_buffer_leaves_the_module_usable()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Linear(2, 2);
        var flat = ParameterBuffer.Flatten(model);
        var weight = model.weight.ToArray<float>();
        flat.Dispose();
        flat.Parameters.IsDisposed.Should().BeTrue();
        model.weight.ToArray<float>().Should().Equal(weight, "the parameters keep the storage alive");
        model.forward(ones([1, 2])).sum().backward();
        model.weight.grad!.ToArray<float>().Should().Equal(1f, 1f, 1f, 1f);
    }
}
