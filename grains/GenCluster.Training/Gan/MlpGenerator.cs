using GenCluster.Torch;
using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Gan;

/// <summary>
/// A fully connected generator: z → Linear → ReLU → Linear → tanh, reshaped to N×C×H×W. It takes the same
/// N×nz×1×1 noise as the DCGAN generator, so the GAN step does not care which one it drives.
/// </summary>
public sealed class MlpGenerator : Module
{
    private readonly Sequential _main;
    private readonly MlpGanOptions _options;

    public MlpGenerator(MlpGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _main = register_module("main", nn.Sequential(
            nn.Flatten(),
            nn.Linear(options.LatentSize, options.GeneratorHidden),
            nn.ReLU(),
            nn.Linear(options.GeneratorHidden, options.Pixels),
            nn.Tanh()));
    }

    /// <summary>Maps N×nz×1×1 noise to N×C×H×W images in [-1, 1].</summary>
    public override Tensor forward(Tensor input)
    {
        using var flat = _main.forward(input);
        return flat.view(-1, _options.Channels, _options.ImageSize, _options.ImageSize);
    }
}
