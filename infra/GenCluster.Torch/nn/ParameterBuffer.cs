using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch;

/// <summary>Where one parameter lives inside a model's flat buffer.</summary>
/// <param name="Name">The parameter's state-dict name.</param>
/// <param name="Offset">Index of its first element in the flat buffer.</param>
/// <param name="Shape">Its shape.</param>
public sealed record ParameterSlot(string Name, long Offset, long[] Shape)
{
    /// <summary>Number of elements.</summary>
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// All float32 parameters of a model moved into one contiguous buffer, and their gradients into
/// another: each parameter (and its <c>.grad</c>) becomes a view into the flat tensors, so
/// backward writes gradients straight into <see cref="Gradients"/> and an optimizer or a
/// network receive can update <see cref="Parameters"/> in place, without per-tensor copies.
/// </summary>
public sealed class ParameterBuffer : IDisposable
{
    private ParameterBuffer(Tensor parameters, Tensor gradients, IReadOnlyList<ParameterSlot> layout)
    {
        Parameters = parameters;
        Gradients = gradients;
        Layout = layout;
        Length = parameters.numel();
    }

    /// <summary>The flat parameter vector.</summary>
    public Tensor Parameters { get; }

    /// <summary>The flat gradient vector, same layout as <see cref="Parameters"/>.</summary>
    public Tensor Gradients { get; }

    /// <summary>Each parameter's name, offset and shape, in <see cref="Module.named_parameters"/> order.</summary>
    public IReadOnlyList<ParameterSlot> Layout { get; }

    /// <summary>Total number of parameters.</summary>
    public long Length { get; }

    /// <summary>The parameters as a span over native memory (CPU only).</summary>
    public Span<float> ParameterSpan => Parameters.data<float>();

    /// <summary>The gradients as a span over native memory (CPU only).</summary>
    public Span<float> GradientSpan => Gradients.data<float>();

    /// <summary>
    /// Moves <paramref name="module"/>'s parameters into a new flat buffer (values preserved) and
    /// points their gradients at a zeroed flat gradient buffer.
    /// </summary>
    /// <exception cref="ArgumentException">The module has no parameters, or one is not float32 or not on <paramref name="device"/>.</exception>
    public static ParameterBuffer Flatten(Module module, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var target = device ?? Device.CPU;
        var named = module.named_parameters().ToList();
        if (named.Count == 0)
        {
            throw new ArgumentException("the module has no parameters to flatten", nameof(module));
        }

        var layout = new List<ParameterSlot>(named.Count);
        long offset = 0;
        foreach (var (name, p) in named)
        {
            if (p.dtype != ScalarType.Float32)
            {
                throw new ArgumentException($"parameter '{name}' is {p.dtype.PyTorchName()}; flat buffers hold float32 only", nameof(module));
            }

            if (p.device != target)
            {
                throw new ArgumentException($"parameter '{name}' is on {p.device}, the buffer on {target}", nameof(module));
            }

            layout.Add(new ParameterSlot(name, offset, p.shape));
            offset += layout[^1].Length;
        }

        var flatParameters = zeros([offset], ScalarType.Float32, target).DetachFromDisposeScope();
        var flatGradients = zeros([offset], ScalarType.Float32, target).DetachFromDisposeScope();
        using (no_grad())
        {
            for (var i = 0; i < named.Count; i++)
            {
                var p = named[i].Tensor;
                var slot = layout[i];
                using var dataSlice = flatParameters.narrow(0, slot.Offset, slot.Length);
                using var dataView = dataSlice.view(slot.Shape);
                dataView.copy_(p);
                p.set_data(dataView);
                using var gradSlice = flatGradients.narrow(0, slot.Offset, slot.Length);
                using var gradView = gradSlice.view(slot.Shape);
                p.grad = gradView;
            }
        }

        return new ParameterBuffer(flatParameters, flatGradients, layout);
    }

    /// <summary>Zeroes all gradients in place (keeping the views intact, unlike setting them to null).</summary>
    public void zero_grad() => Gradients.zero_();

    /// <summary>A view of the parameters in [offset, offset+length) — e.g. one shard's slice.</summary>
    public Tensor ParameterSlice(long offset, long length) => Parameters.narrow(0, offset, length);

    /// <summary>A view of the gradients in [offset, offset+length).</summary>
    public Tensor GradientSlice(long offset, long length) => Gradients.narrow(0, offset, length);

    /// <inheritdoc />
    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
