using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>max(0, x).</summary>
public sealed class ReLU : Module
{
    public override Tensor forward(Tensor input) => input.relu();
}

/// <summary>x for x ≥ 0, negative_slope·x otherwise.</summary>
public sealed class LeakyReLU(double negative_slope = 0.01) : Module
{
    public double negative_slope { get; } = negative_slope;

    public override Tensor forward(Tensor input) => nn.functional.leaky_relu(input, negative_slope);
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Module
{
    public override Tensor forward(Tensor input) => input.tanh();
}

/// <summary>1 / (1 + e^-x).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor forward(Tensor input) => input.sigmoid();
}

/// <summary>Flattens dimensions start_dim … end_dim into one.</summary>
public sealed class Flatten(long start_dim = 1, long end_dim = -1) : Module
{
    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}
