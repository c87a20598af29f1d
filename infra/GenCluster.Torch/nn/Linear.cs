using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary><c>y = x Wᵀ + b</c>, with PyTorch's default initialisation (U(±1/√in_features)).</summary>
public sealed class Linear : Module
{
    public Linear(long in_features, long out_features, bool bias = true)
    {
        if (in_features <= 0 || out_features <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(in_features), $"Linear({in_features}, {out_features}) needs positive sizes");
        }

        weight = register_parameter(nameof(weight), empty([out_features, in_features]));
        this.bias = bias ? register_parameter(nameof(bias), empty([out_features])) : null;
        DefaultInit.Reset(weight, this.bias);
    }

    public Tensor weight { get; }

    public Tensor? bias { get; }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}

/// <summary>PyTorch's default initialisation for Linear and convolution layers.</summary>
internal static class DefaultInit
{
    /// <summary>kaiming_uniform_(a=√5) on the weight, U(±1/√fan_in) on the bias.</summary>
    internal static void Reset(Tensor weight, Tensor? bias)
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            var (fanIn, _) = nn.init.calculate_fan_in_and_fan_out(weight);
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            nn.init.uniform_(bias, -bound, bound);
        }
    }
}
