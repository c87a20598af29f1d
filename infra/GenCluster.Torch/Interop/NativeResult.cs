using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

/// <summary>Turns the shim's null / -1 results into <see cref="TorchException"/>s carrying libtorch's message.</summary>
internal static class NativeResult
{
    // A managed callback that native code called (a gradient-ready hook) failed on this thread; the native call that
    // ran it fails next, and its exception carries this one as the cause.
    [ThreadStatic]
    private static Exception? t_callbackFailure;
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
        var cause = t_callbackFailure;
        t_callbackFailure = null;
        return cause is null ? new TorchException(message) : new TorchException($"{message}: {cause.Message}", cause);
    }

    /// <summary>Keeps the first failure of a managed callback on this thread for the native call that is running it.</summary>
    internal static void RecordCallbackFailure(Exception failure) => t_callbackFailure ??= failure;
}
