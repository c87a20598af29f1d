using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

// Autograd and conversions.
public sealed partial class Tensor
{
    /// <summary>Whether operations on this tensor are recorded for differentiation.</summary>
    public bool requires_grad
    {
        get
        {
            NativeResult.Check(NativeMethods.gct_requires_grad(Handle, out var value));
            return value != 0;
        }
        set => NativeResult.Check(NativeMethods.gct_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="requires_grad"/> and returns this tensor.</summary>
    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    /// <summary>Whether this tensor was created by the user rather than by a recorded operation.</summary>
    public bool is_leaf
    {
        get
        {
            NativeResult.Check(NativeMethods.gct_is_leaf(Handle, out var value));
            return value != 0;
        }
    }

    /// <summary>
    /// The accumulated gradient (a new handle to it), or null before any backward pass.
    /// Setting it to a tensor of the same shape makes backward accumulate into that tensor in place.
    /// </summary>
    public Tensor? grad
    {
        get
        {
            var handle = NativeMethods.gct_grad(Handle, out var defined);
            return defined switch
            {
                1 => NativeResult.Tensor(handle),
                0 => null,
                _ => throw NativeResult.LastError(),
            };
        }
        set => NativeResult.Check(NativeMethods.gct_set_grad(Handle, HandleOrNull(value)));
    }

    /// <summary>Computes the gradients of this tensor with respect to the graph's leaves.</summary>
    /// <param name="gradient">∂L/∂this; may be omitted for a one-element tensor.</param>
    /// <param name="retain_graph">Keep the graph for another backward pass.</param>
    public void backward(Tensor? gradient = null, bool retain_graph = false) =>
        NativeResult.Check(NativeMethods.gct_backward(Handle, HandleOrNull(gradient), retain_graph ? 1 : 0));

    /// <summary>A tensor sharing storage with this one but cut from the autograd graph.</summary>
    public Tensor detach() => NativeResult.Tensor(NativeMethods.gct_detach(Handle));

    /// <summary>Re-points this tensor (keeping its autograd identity) at <paramref name="data"/>'s storage.</summary>
    public void set_data(Tensor data) => NativeResult.Check(NativeMethods.gct_set_data(Handle, data.Handle));

    /// <summary>Converts to another element type (returns a new tensor even when the type is unchanged).</summary>
    public Tensor to(ScalarType type) => NativeResult.Tensor(NativeMethods.gct_to_dtype(Handle, (int)type));

    /// <summary>Moves to another device.</summary>
    public Tensor to(Device target) => NativeResult.Tensor(NativeMethods.gct_to_device(Handle, (int)target.Type, target.Index));

    public Tensor cpu() => to(Device.CPU);

    public Tensor clone() => NativeResult.Tensor(NativeMethods.gct_clone(Handle));

    public Tensor contiguous() => NativeResult.Tensor(NativeMethods.gct_contiguous(Handle));

    /// <summary>A second handle to this same tensor, for code that needs to own (and dispose) its own reference.</summary>
    public Tensor alias() => NativeResult.Tensor(NativeMethods.gct_alias(Handle));
}
