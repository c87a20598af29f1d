using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>requires_grad, backward, gradient accumulation, grad mode, detach and set_data.</summary>
public class AutogradTests
{
    [Fact]
    public void Backward_computes_known_derivatives()
    {
        using var scope = NewDisposeScope();
        double[] values = [0.5, -1.5, 2.0];
        var x = T.F64(values).requires_grad_();
        x.requires_grad.Should().BeTrue();
        x.is_leaf.Should().BeTrue();
        x.grad.Should().BeNull("no backward pass has run yet");

        // L = Σ x³ + 2x → dL/dx = 3x² + 2
        var y = x.pow(3).add(x.mul(2)).sum();
        y.is_leaf.Should().BeFalse();
        y.requires_grad.Should().BeTrue();
        y.backward();
        x.grad!.Values().ShouldBeClose(values.Select(v => (3 * v * v) + 2).ToArray(), 1e-12);
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls()
    {
        using var scope = NewDisposeScope();
        double[] values = [1.0, 2.0];
        var x = T.F64(values).requires_grad_();
        x.square().sum().backward();
        x.square().sum().backward();
        x.grad!.Values().ShouldBeClose(values.Select(v => 4 * v).ToArray(), 1e-12);

        x.grad = null;
        x.grad.Should().BeNull();
        x.mul(3).sum().backward();
        x.grad!.Values().ShouldBeClose([3, 3], 0);
    }

    [Fact]
    public void Backward_with_explicit_output_gradient_computes_vector_jacobian_product()
    {
        using var scope = NewDisposeScope();
        double[] values = [1.0, 2.0, 3.0];
        double[] v = [0.5, -1.0, 2.0];
        var x = T.F64(values).requires_grad_();
        var y = x.exp();
        y.backward(T.F64(v));
        x.grad!.Values().ShouldBeClose(values.Select((xv, i) => v[i] * Math.Exp(xv)).ToArray(), 1e-12);
    }

    [Fact]
    public void Retain_graph_allows_a_second_backward()
    {
        using var scope = NewDisposeScope();
        var x = T.F64([2.0]).requires_grad_();
        var y = x.exp().sum();
        y.backward(retain_graph: true);
        y.backward();
        x.grad!.item<double>().ShouldBeCloseTo(2 * Math.Exp(2), 1e-12);

        var z = x.exp().sum();
        z.backward();
        var again = () => z.backward();
        again.Should().Throw<TorchException>().WithMessage("*backward through the graph a second time*");
    }

    [Fact]
    public void Detach_and_no_grad_stop_recording()
    {
        using var scope = NewDisposeScope();
        var x = T.F64([1.0, 2.0]).requires_grad_();
        var d = x.detach();
        d.requires_grad.Should().BeFalse();
        d.is_leaf.Should().BeTrue();

        using (no_grad())
        {
            var y = x.mul(2);
            y.requires_grad.Should().BeFalse();
            y.is_leaf.Should().BeTrue();
        }

        // (x · detach(x)) has gradient detach(x) = x, not 2x
        x.mul(x.detach()).sum().backward();
        x.grad!.Values().Should().Equal(1.0, 2.0);
    }

    [Fact]
    public void Requires_grad_setter_and_integer_tensors()
    {
        using var scope = NewDisposeScope();
        var x = zeros([2]);
        x.requires_grad.Should().BeFalse();
        x.requires_grad = true;
        x.requires_grad.Should().BeTrue();
        x.requires_grad_(false).Should().BeSameAs(x);
        x.requires_grad.Should().BeFalse();

        var i = zeros([2], int64);
        var act = () => i.requires_grad = true;
        act.Should().Throw<TorchException>().WithMessage("*floating point*");
        FluentActions.Invoking(() => zeros([2], int64, requires_grad: true)).Should().Throw<TorchException>();
    }

    [Fact]
    public void Grad_setter_points_accumulation_at_a_given_tensor()
    {
        using var scope = NewDisposeScope();
        var x = T.F64([1.0, 2.0, 3.0]).requires_grad_();
        var buffer = T.F64([10.0, 20.0, 30.0]);
        x.grad = buffer;
        x.mul(2).sum().backward();
        buffer.ToArray<double>().Should().Equal(12.0, 22.0, 32.0);
        x.grad!.ToArray<double>().Should().Equal(12.0, 22.0, 32.0);

        FluentActions.Invoking(() => x.grad = zeros([2], float64)).Should().Throw<TorchException>().WithMessage("*grad shape*");
        FluentActions.Invoking(() => x.grad = zeros([3])).Should().Throw<TorchException>().WithMessage("*dtype*");
    }

    [Fact]
    public void Set_data_repoints_storage_and_keeps_autograd_identity()
    {
        using var scope = NewDisposeScope();
        var p = T.F64([1.0, 2.0]).requires_grad_();
        var storage = T.F64([5.0, 6.0, 7.0, 8.0]);
        var view = storage.narrow(0, 1, 2);
        p.set_data(view);
        p.requires_grad.Should().BeTrue();
        p.is_leaf.Should().BeTrue();
        p.ToArray<double>().Should().Equal(6.0, 7.0);
        using (no_grad())
        {
            p.mul_(10);
        }

        storage.ToArray<double>().Should().Equal(5.0, 60.0, 70.0, 8.0);
        p.square().sum().backward();
        p.grad!.ToArray<double>().Should().Equal(120.0, 140.0);

        FluentActions.Invoking(() => p.set_data(zeros([3], float64))).Should().Throw<TorchException>().WithMessage("*shape*");
    }

    [Fact]
    public void Backward_errors_are_reported()
    {
        using var scope = NewDisposeScope();
        var x = T.F64([1.0, 2.0]).requires_grad_();
        FluentActions.Invoking(() => x.mul(2).backward()).Should().Throw<TorchException>()
            .WithMessage("*grad can be implicitly created only for scalar outputs*");
        FluentActions.Invoking(() => T.F64([1.0]).sum().backward()).Should().Throw<TorchException>()
            .WithMessage("*does not require grad*");
    }

    [Fact]
    public void In_place_change_of_a_saved_tensor_is_detected()
    {
        using var scope = NewDisposeScope();
        var x = T.F64([1.0, 2.0]).requires_grad_();
        var y = x.exp();
        var z = y.sum();
        y.mul_(2); // exp saved its output for backward
        FluentActions.Invoking(() => z.backward()).Should().Throw<TorchException>().WithMessage("*modified by an inplace operation*");
    }
}
