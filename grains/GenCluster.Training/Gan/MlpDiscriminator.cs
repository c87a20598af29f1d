using GenCluster.Torch;
using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Gan;

/// <summary>A fully connected discriminator: image → Linear → LeakyReLU(0.2) → Linear → one logit per image.</summary>
public sealed class MlpDiscriminator : Module
{
    private readonly Sequential _main;

    public MlpDiscriminator(MlpGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _main = register_module("main", nn.Sequential(
            nn.Flatten(),
            nn.Linear(options.Pixels, options.DiscriminatorHidden),
            nn.LeakyReLU(0.2),
            nn.Linear(options.DiscriminatorHidden, 1)));
    }

    /// <summary>Maps N×C×H×W images to N logits (real ↔ positive).</summary>
    public override Tensor forward(Tensor input)
    {
        using var logits = _main.forward(input);
        return logits.view(-1);
    }
}
