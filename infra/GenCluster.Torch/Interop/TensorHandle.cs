using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it frees the handle (not necessarily the storage).</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A non-owning zero handle that stands for "no tensor" in optional arguments.</summary>
    /// <remarks>LibraryImport cannot marshal a null SafeHandle, so optional tensors pass this sentinel.</remarks>
    internal static readonly TensorHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal TensorHandle(IntPtr handle, bool ownsHandle = true) : base(IntPtr.Zero, ownsHandle) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.gct_free(handle);
        return true;
    }
}

/// <summary>Owns one native <c>at::Generator*</c>.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    internal static readonly GeneratorHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public GeneratorHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal GeneratorHandle(IntPtr handle, bool ownsHandle = true) : base(IntPtr.Zero, ownsHandle) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.gct_generator_free(handle);
        return true;
    }
}
