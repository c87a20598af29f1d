using System.Runtime.InteropServices;
using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

/// <summary>
/// Reports, while a backward pass is still running, that a leaf's gradient for that pass is final: a hook on each
/// leaf's gradient accumulator calls back right after autograd has added the leaf's gradient, and autograd runs a
/// leaf's accumulator once per pass, after every node that contributes to it. This is what lets data-parallel training
/// send the last layers' gradients while backward is still computing the first layers' (as PyTorch DDP's reducer does).
/// </summary>
/// <remarks>
/// The callback runs on the thread that runs backward (on CPU, the caller of <see cref="Tensor.backward"/>), in the middle
/// of the pass: it should be short and must not touch the graph. If it throws, the backward pass ends with a
/// <see cref="TorchException"/> whose inner exception is the callback's. Create and dispose the hooks while no backward
/// is running; until disposed they fire for every backward pass that reaches the leaves.
/// </remarks>
public sealed class GradientReadyHooks : IDisposable
{
    private readonly Action<int> _ready;
    private GCHandle _self;
    private IntPtr _native;

    /// <summary>Hooks <paramref name="leaves"/>; <paramref name="ready"/> receives a leaf's index in that list.</summary>
    /// <exception cref="TorchException">A tensor is not a leaf or does not require grad.</exception>
    public GradientReadyHooks(IReadOnlyList<Tensor> leaves, Action<int> ready)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        _ready = ready ?? throw new ArgumentNullException(nameof(ready));
        // A strong handle: native hooks may call back for as long as they exist, so this object must outlive them.
        _self = GCHandle.Alloc(this);
        unsafe
        {
            _native = NativeMethods.gct_grad_hooks_new(&OnReady, GCHandle.ToIntPtr(_self));
        }

        if (_native == IntPtr.Zero)
        {
            _self.Free();
            throw NativeResult.LastError();
        }

        try
        {
            for (var i = 0; i < leaves.Count; i++)
            {
                NativeResult.Check(NativeMethods.gct_grad_hooks_add(_native, leaves[i].Handle, i));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Removes the hooks. Must not run during a backward pass that reaches the leaves.</summary>
    public void Dispose()
    {
        if (_native != IntPtr.Zero)
        {
            NativeMethods.gct_grad_hooks_free(_native);
            _native = IntPtr.Zero;
            _self.Free();
        }
    }

    // Native code called this: an exception must not unwind into it (that would abort the process).
    [UnmanagedCallersOnly]
    private static int OnReady(IntPtr context, int index)
    {
        try
        {
            ((GradientReadyHooks)GCHandle.FromIntPtr(context).Target!)._ready(index);
            return 0;
        }
        catch (Exception e)
        {
            NativeResult.RecordCallbackFailure(e);
            return 1;
        }
    }
}
