using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// One network's optimizer, with <c>torch.optim</c>'s names and meanings. Members of the other algorithm are null:
/// Adam uses <see cref="Beta1"/>, <see cref="Beta2"/> and <see cref="Eps"/>; SGD uses <see cref="Momentum"/>,
/// <see cref="Dampening"/> and <see cref="Nesterov"/>. Specs read from text have the members of their algorithm filled in.
/// </summary>
/// <param name="Type">The algorithm.</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient (<c>weight_decay</c>).</param>
/// <param name="Beta1">Adam: decay of the first moment (<c>betas[0]</c>).</param>
/// <param name="Beta2">Adam: decay of the second moment (<c>betas[1]</c>).</param>
/// <param name="Eps">Adam: term added to the denominator.</param>
/// <param name="Momentum">SGD: momentum factor.</param>
/// <param name="Dampening">SGD: dampening of momentum.</param>
/// <param name="Nesterov">SGD: Nesterov momentum.</param>
[GenerateSerializer]
public sealed record OptimizerSpec(
    [Id(0)] OptimizerType Type,
    [Id(1)] double Lr,
    [Id(2)] double WeightDecay,
    [Id(3)] double? Beta1 = null,
    [Id(4)] double? Beta2 = null,
    [Id(5)] double? Eps = null,
    [Id(6)] double? Momentum = null,
    [Id(7)] double? Dampening = null,
    [Id(8)] bool? Nesterov = null)
{
    /// <summary>The DCGAN recipe (Radford et al.; pytorch/examples): Adam, lr 2e-4, betas (0.5, 0.999).</summary>
    public static OptimizerSpec GanDefault { get; } = Adam(lr: 2e-4, beta1: 0.5, beta2: 0.999);

    /// <summary><c>torch.optim.Adam</c>; the defaults are PyTorch's.</summary>
    public static OptimizerSpec Adam(
        double lr = ExperimentSpecDefaults.AdamLr,
        double beta1 = ExperimentSpecDefaults.AdamBeta1,
        double beta2 = ExperimentSpecDefaults.AdamBeta2,
        double eps = ExperimentSpecDefaults.AdamEps,
        double weightDecay = 0) =>
        new(OptimizerType.Adam, lr, weightDecay, Beta1: beta1, Beta2: beta2, Eps: eps);

    /// <summary><c>torch.optim.SGD</c>; like PyTorch, the learning rate has no default.</summary>
    public static OptimizerSpec Sgd(double lr, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0) =>
        new(OptimizerType.Sgd, lr, weightDecay, Momentum: momentum, Dampening: dampening, Nesterov: nesterov);
}
