using GenCluster.Torch;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void Flat_buffer_receives_gradients_from_backward()
    {
        manual_seed(1);
        using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1));
        using var flat = ParameterBuffer.Flatten(model);
        flat.Length.Should().Be(3 * 4 + 4 + 4 + 1);
        using var scope = NewDisposeScope();
        var x = randn([5, 3]);
        var y = model.forward(x).sum();
        y.backward();
        var first = model.parameters().First();
        var g = first.grad!;
        g.ToArray<float>().Should().Equal(flat.Gradients.narrow(0, 0, 12).ToArray<float>());
        flat.GradientSpan.ToArray().Any(v => v != 0).Should().BeTrue();
        flat.ParameterSpan[0] = 42f;
        first.view(-1).select(0, 0).item<float>().Should().Be(42f);
    }

    [Fact]
    public void Shape_mismatch_throws_with_libtorch_message()
    {
        using var a = zeros([2, 3]);
        using var b = zeros([4, 5]);
        var act = () => a.matmul(b);
        act.Should().Throw<TorchException>().WithMessage("*shapes cannot be multiplied*");
    }
}
