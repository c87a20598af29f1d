using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

// Views, shape manipulation, indexing, reductions and matrix products.
public sealed partial class Tensor
{
    /// <summary>Same elements in a new shape (a view when possible, else a copy); one size may be -1.</summary>
    public Tensor reshape(params long[] shape) => NativeResult.Tensor(NativeMethods.gct_reshape(Handle, shape, shape.Length));

    /// <summary>A view with a new shape; fails when the memory layout does not allow it.</summary>
    public Tensor view(params long[] shape) => NativeResult.Tensor(NativeMethods.gct_view(Handle, shape, shape.Length));

    public Tensor permute(params long[] dims) => NativeResult.Tensor(NativeMethods.gct_permute(Handle, dims, dims.Length));

    public Tensor transpose(long dim0, long dim1) => NativeResult.Tensor(NativeMethods.gct_transpose(Handle, dim0, dim1));

    /// <summary>The transpose of a 2-D tensor.</summary>
    public Tensor t() => transpose(0, 1);

    public Tensor expand(params long[] shape) => NativeResult.Tensor(NativeMethods.gct_expand(Handle, shape, shape.Length));

    public Tensor flatten(long startDim = 0, long endDim = -1) => NativeResult.Tensor(NativeMethods.gct_flatten(Handle, startDim, endDim));

    public Tensor squeeze(long dim) => NativeResult.Tensor(NativeMethods.gct_squeeze(Handle, dim));

    public Tensor unsqueeze(long dim) => NativeResult.Tensor(NativeMethods.gct_unsqueeze(Handle, dim));

    /// <summary>A view of <paramref name="length"/> elements along <paramref name="dim"/> from <paramref name="start"/>.</summary>
    public Tensor narrow(long dim, long start, long length) => NativeResult.Tensor(NativeMethods.gct_narrow(Handle, dim, start, length));

    /// <summary>Python's <c>t[start:end:step]</c> along <paramref name="dim"/>, as a view.</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => NativeResult.Tensor(NativeMethods.gct_slice(Handle, dim, start, end, step));

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, that dimension removed.</summary>
    public Tensor select(long dim, long index) => NativeResult.Tensor(NativeMethods.gct_select(Handle, dim, index));

    /// <summary>Gathers the entries at <paramref name="index"/> (an int64 vector) along <paramref name="dim"/>.</summary>
    public Tensor index_select(long dim, Tensor index) => NativeResult.Tensor(NativeMethods.gct_index_select(Handle, dim, index.Handle));

    public Tensor matmul(Tensor other) => NativeResult.Tensor(NativeMethods.gct_matmul(Handle, other.Handle));

    public Tensor mm(Tensor other) => NativeResult.Tensor(NativeMethods.gct_mm(Handle, other.Handle));

    public Tensor sum() => NativeResult.Tensor(NativeMethods.gct_sum(Handle));

    public Tensor sum(long[] dims, bool keepdim = false) => NativeResult.Tensor(NativeMethods.gct_sum_dims(Handle, dims, dims.Length, keepdim ? 1 : 0));

    public Tensor mean() => NativeResult.Tensor(NativeMethods.gct_mean(Handle));

    public Tensor mean(long[] dims, bool keepdim = false) => NativeResult.Tensor(NativeMethods.gct_mean_dims(Handle, dims, dims.Length, keepdim ? 1 : 0));

    public Tensor var(long[] dims, bool unbiased = true, bool keepdim = false) =>
        NativeResult.Tensor(NativeMethods.gct_var_dims(Handle, dims, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0));

    public Tensor max() => NativeResult.Tensor(NativeMethods.gct_max(Handle));

    public Tensor min() => NativeResult.Tensor(NativeMethods.gct_min(Handle));

    /// <summary>The maximum values along <paramref name="dim"/>.</summary>
    public Tensor amax(long dim, bool keepdim = false) => NativeResult.Tensor(NativeMethods.gct_amax(Handle, dim, keepdim ? 1 : 0));

    public Tensor argmax(long dim, bool keepdim = false) => NativeResult.Tensor(NativeMethods.gct_argmax(Handle, dim, keepdim ? 1 : 0));

    public Tensor softmax(long dim) => NativeResult.Tensor(NativeMethods.gct_softmax(Handle, dim));

    public Tensor log_softmax(long dim) => NativeResult.Tensor(NativeMethods.gct_log_softmax(Handle, dim));
}
