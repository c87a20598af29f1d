using GenCluster.Torch;
using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Gan;

/// <summary>
/// DCGAN generator for 28×28: z (nz×1×1) → 7×7 → 14×14 → 28×28 through transposed convolutions,
/// BatchNorm and ReLU, ending in tanh. Parameter names match the PyTorch reference (<c>main.N.*</c>).
/// </summary>
public sealed class DcganGenerator : Module
{
    private readonly Sequential _main;

    public DcganGenerator(DcganOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        LatentSize = options.LatentSize;
        var ngf = options.GeneratorWidth;
        _main = register_module("main", nn.Sequential(
            nn.ConvTranspose2d(options.LatentSize, ngf * 4, 7, 1, 0, bias: false),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias: false),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(),
            nn.ConvTranspose2d(ngf * 2, options.Channels, 4, 2, 1, bias: false),
            nn.Tanh()));
        DcganInit.Apply(this);
    }

    /// <summary>Length of the latent vector.</summary>
    public int LatentSize { get; }

    /// <summary>Maps N×nz×1×1 noise to N×C×28×28 images in [-1, 1].</summary>
    public override Tensor forward(Tensor input) => _main.forward(input);
}
