using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

// grad_hooks.cpp
internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr gct_grad_hooks_new(delegate* unmanaged<IntPtr, int, int> callback, IntPtr context);

    [LibraryImport(Library)]
    internal static partial int gct_grad_hooks_add(IntPtr hooks, TensorHandle tensor, int index);

    [LibraryImport(Library)]
    internal static partial void gct_grad_hooks_free(IntPtr hooks);
}
