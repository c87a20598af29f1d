using GenCluster.Torch;
using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Gan;

/// <summary>
/// DCGAN discriminator for 28×28: strided convolutions 28 → 14 → 7 with LeakyReLU(0.2) and
/// BatchNorm, then a 7×7 convolution to one logit per image (the sigmoid lives in the loss).
/// </summary>
public sealed class DcganDiscriminator : Module
{
    private readonly Sequential _main;

    public DcganDiscriminator(DcganOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ndf = options.DiscriminatorWidth;
        _main = register_module("main", nn.Sequential(
            nn.Conv2d(options.Channels, ndf, 4, 2, 1, bias: false),
            nn.LeakyReLU(0.2),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias: false),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias: false)));
        DcganInit.Apply(this);
    }

    /// <summary>Maps N×C×28×28 images to N logits (real ↔ positive).</summary>
    public override Tensor forward(Tensor input)
    {
        using var logits = _main.forward(input);
        return logits.view(-1);
    }
}

/// <summary>The DCGAN paper's initialisation: convolutions N(0, 0.02), BatchNorm weight N(1, 0.02) and bias 0.</summary>
internal static class DcganInit
{
    internal static void Apply(Module model) => model.apply(m =>
    {
        switch (m)
        {
            case Conv2d conv:
                nn.init.normal_(conv.weight, 0, 0.02);
                break;
            case ConvTranspose2d deconv:
                nn.init.normal_(deconv.weight, 0, 0.02);
                break;
            case BatchNorm bn when bn.weight is not null && bn.bias is not null:
                nn.init.normal_(bn.weight, 1, 0.02);
                nn.init.zeros_(bn.bias);
                break;
        }
    });
}
