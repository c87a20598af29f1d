using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>Adam's hyperparameters for one model; defaults are the DCGAN paper's (lr 2e-4, β = (0.5, 0.999)).</summary>
[GenerateSerializer]
public sealed record AdamSettings
{
    [Id(0)]
    public double LearningRate { get; init; } = 2e-4;

    [Id(1)]
    public double Beta1 { get; init; } = 0.5;

    [Id(2)]
    public double Beta2 { get; init; } = 0.999;

    [Id(3)]
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (PyTorch's <c>weight_decay</c>).</summary>
    [Id(4)]
    public double WeightDecay { get; init; }
}
