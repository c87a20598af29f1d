using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

// arithmetic.cpp
internal static partial class NativeMethods
{
    [LibraryImport(Library)] internal static partial IntPtr gct_add(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Library)] internal static partial IntPtr gct_sub(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Library)] internal static partial IntPtr gct_mul(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_div(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_pow(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_maximum(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_minimum(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_eq(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_ne(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_gt(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_ge(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_lt(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr gct_le(TensorHandle a, TensorHandle b);

    [LibraryImport(Library)] internal static partial IntPtr gct_add_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_sub_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_rsub_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_mul_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_div_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_pow_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_eq_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_gt_scalar(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial IntPtr gct_lt_scalar(TensorHandle a, double s);

    [LibraryImport(Library)] internal static partial IntPtr gct_neg(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_abs(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_exp(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_log(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_sqrt(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_square(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_sin(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_cos(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_sign(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_clamp(TensorHandle a, double min, double max);
    [LibraryImport(Library)] internal static partial IntPtr gct_where(TensorHandle condition, TensorHandle a, TensorHandle b);

    [LibraryImport(Library)] internal static partial int gct_add_(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Library)] internal static partial int gct_mul_(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial int gct_copy_(TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial int gct_add_scalar_(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial int gct_mul_scalar_(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial int gct_fill_(TensorHandle a, double s);
    [LibraryImport(Library)] internal static partial int gct_zero_(TensorHandle a);
    [LibraryImport(Library)] internal static partial int gct_normal_(TensorHandle a, double mean, double std, GeneratorHandle generator);
    [LibraryImport(Library)] internal static partial int gct_uniform_(TensorHandle a, double from, double to, GeneratorHandle generator);
}
