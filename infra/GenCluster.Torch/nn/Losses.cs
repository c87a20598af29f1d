using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>A criterion comparing a prediction with a target.</summary>
public abstract class Loss(Reduction reduction)
{
    public Reduction reduction { get; } = reduction;

    public abstract Tensor forward(Tensor input, Tensor target);

    /// <summary>Same as <see cref="forward"/>, mirroring Python's <c>criterion(x, y)</c>.</summary>
    public Tensor call(Tensor input, Tensor target) => forward(input, target);
}

/// <summary>Binary cross-entropy on logits.</summary>
public sealed class BCEWithLogitsLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.binary_cross_entropy_with_logits(input, target, reduction: reduction);
}

/// <summary>Mean squared error.</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.mse_loss(input, target, reduction);
}

/// <summary>Cross-entropy of logits against class indices.</summary>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean, long ignore_index = -100, double label_smoothing = 0) : Loss(reduction)
{
    public override Tensor forward(Tensor input, Tensor target) =>
        nn.functional.cross_entropy(input, target, reduction: reduction, ignore_index: ignore_index, label_smoothing: label_smoothing);
}
