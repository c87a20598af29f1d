using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>Zeroes elements with probability <c>p</c> in training, scaling the rest by 1/(1-p); identity in evaluation.</summary>
public sealed class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        }

        this.p = p;
    }

    public double p { get; }

    /// <summary>The generator that draws the masks (the process default when null).</summary>
    public Generator? generator { get; set; }

    public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training, generator);
}
