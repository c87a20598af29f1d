using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

/// <summary>Turns the shim's null / -1 results into <see cref="TorchException"/>s carrying libtorch's message.</summary>
internal static class NativeResult
{
    /// <summary>Wraps a freshly created native tensor, or throws the thread's last error.</summary>
    internal static Tensor Tensor(IntPtr handle) =>
        handle == IntPtr.Zero ? throw LastError() : new Tensor(new TensorHandle(handle));

    internal static void Check(int status)
    {
        if (status != 0)
        {
            throw LastError();
        }
    }

    internal static TorchException LastError()
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.gct_last_error()) ?? "libtorch call failed without a message";
        NativeMethods.gct_clear_error();
        return new TorchException(message);
    }
}
