using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

// shape.cpp and reductions.cpp
internal static partial class NativeMethods
{
    [LibraryImport(Library)] internal static partial IntPtr gct_reshape(TensorHandle a, ReadOnlySpan<long> shape, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr gct_view(TensorHandle a, ReadOnlySpan<long> shape, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr gct_permute(TensorHandle a, ReadOnlySpan<long> dims, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr gct_transpose(TensorHandle a, long dim0, long dim1);
    [LibraryImport(Library)] internal static partial IntPtr gct_expand(TensorHandle a, ReadOnlySpan<long> shape, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr gct_flatten(TensorHandle a, long startDim, long endDim);
    [LibraryImport(Library)] internal static partial IntPtr gct_squeeze(TensorHandle a, long dim);
    [LibraryImport(Library)] internal static partial IntPtr gct_unsqueeze(TensorHandle a, long dim);
    [LibraryImport(Library)] internal static partial IntPtr gct_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial IntPtr gct_slice(TensorHandle a, long dim, long start, long end, long step);
    [LibraryImport(Library)] internal static partial IntPtr gct_select(TensorHandle a, long dim, long index);
    [LibraryImport(Library)] internal static partial IntPtr gct_index_select(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Library)] internal static partial IntPtr gct_cat(ReadOnlySpan<IntPtr> tensors, int count, long dim);
    [LibraryImport(Library)] internal static partial IntPtr gct_stack(ReadOnlySpan<IntPtr> tensors, int count, long dim);
    [LibraryImport(Library)] internal static partial IntPtr gct_matmul(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_mm(TensorHandle a, TensorHandle b);

    [LibraryImport(Library)] internal static partial IntPtr gct_sum(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_mean(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_sum_dims(TensorHandle a, ReadOnlySpan<long> dims, int ndims, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr gct_mean_dims(TensorHandle a, ReadOnlySpan<long> dims, int ndims, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr gct_var_dims(TensorHandle a, ReadOnlySpan<long> dims, int ndims, int unbiased, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr gct_max(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_min(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_amax(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr gct_argmax(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr gct_log_softmax(TensorHandle a, long dim);
    [LibraryImport(Library)] internal static partial IntPtr gct_softmax(TensorHandle a, long dim);
}
