using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>2-D convolution over N×C×H×W input with square kernels, strides and padding.</summary>
public sealed class Conv2d : Module
{
    private readonly long _stride;
    private readonly long _padding;
    private readonly long _dilation;
    private readonly long _groups;

    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
    {
        ConvolutionArguments.Check(in_channels, out_channels, kernel_size, stride, padding, dilation, groups);
        (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
        weight = register_parameter(nameof(weight), empty([out_channels, in_channels / groups, kernel_size, kernel_size]));
        this.bias = bias ? register_parameter(nameof(bias), empty([out_channels])) : null;
        DefaultInit.Reset(weight, this.bias);
    }

    public Tensor weight { get; }

    public Tensor? bias { get; }

    public override Tensor forward(Tensor input) => nn.functional.conv2d(input, weight, bias, _stride, _padding, _dilation, _groups);
}

/// <summary>Transposed 2-D convolution (the gradient of Conv2d with respect to its input), as used by generators to upsample.</summary>
public sealed class ConvTranspose2d : Module
{
    private readonly long _stride;
    private readonly long _padding;
    private readonly long _outputPadding;
    private readonly long _groups;
    private readonly long _dilation;

    public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, bool bias = true, long dilation = 1)
    {
        ConvolutionArguments.Check(in_channels, out_channels, kernel_size, stride, padding, dilation, groups);
        if (output_padding < 0 || (output_padding >= stride && output_padding >= dilation))
        {
            throw new ArgumentOutOfRangeException(nameof(output_padding), output_padding, "output_padding must be smaller than either stride or dilation");
        }

        (_stride, _padding, _outputPadding, _groups, _dilation) = (stride, padding, output_padding, groups, dilation);
        // PyTorch's layout for transposed convolution weights: in_channels × out_channels/groups × k × k.
        weight = register_parameter(nameof(weight), empty([in_channels, out_channels / groups, kernel_size, kernel_size]));
        this.bias = bias ? register_parameter(nameof(bias), empty([out_channels])) : null;
        DefaultInit.Reset(weight, this.bias);
    }

    public Tensor weight { get; }

    public Tensor? bias { get; }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose2d(input, weight, bias, _stride, _padding, _outputPadding, _groups, _dilation);
}

internal static class ConvolutionArguments
{
    internal static void Check(long inChannels, long outChannels, long kernelSize, long stride, long padding, long dilation, long groups)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || groups <= 0 || padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"invalid convolution (in={inChannels}, out={outChannels}, kernel={kernelSize}, stride={stride}, padding={padding}, dilation={dilation}, groups={groups})");
        }

        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"in_channels ({inChannels}) and out_channels ({outChannels}) must be divisible by groups ({groups})");
        }
    }
}
