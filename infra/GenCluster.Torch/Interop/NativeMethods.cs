using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

// P/Invoke declarations for the shim, one partial file per native source file.
// Functions that create tensors return a raw handle (null on failure, see NativeResult);
// status functions return 0, or -1 with the message in the thread-local last error.
internal static partial class NativeMethods
{
    internal const string Library = "gencluster_torch";

    [LibraryImport(Library)]
    internal static partial IntPtr gct_last_error();

    [LibraryImport(Library)]
    internal static partial void gct_clear_error();

    [LibraryImport(Library)]
    internal static partial void gct_free(IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int gct_abi_version();

    // creation.cpp
    [LibraryImport(Library)]
    internal static partial IntPtr gct_empty(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_zeros(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_ones(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_full(ReadOnlySpan<long> shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_randn(ReadOnlySpan<long> shape, int ndim, GeneratorHandle generator, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_rand(ReadOnlySpan<long> shape, int ndim, GeneratorHandle generator, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_randint(long low, long high, ReadOnlySpan<long> shape, int ndim, GeneratorHandle generator, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr gct_from_buffer(void* data, long byteCount, ReadOnlySpan<long> shape, int ndim, int dtype, int requiresGrad);

    [LibraryImport(Library)]
    internal static unsafe partial int gct_copy_to_buffer(TensorHandle tensor, void* data, long byteCount);

    [LibraryImport(Library)]
    internal static partial void gct_manual_seed(ulong seed);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_generator_new(ulong seed);

    [LibraryImport(Library)]
    internal static partial void gct_generator_free(IntPtr generator);

    [LibraryImport(Library)]
    internal static partial int gct_generator_seed(GeneratorHandle generator, ulong seed);

    // properties.cpp
    [LibraryImport(Library)]
    internal static partial int gct_dim(TensorHandle tensor, out long dim);

    [LibraryImport(Library)]
    internal static partial int gct_sizes(TensorHandle tensor, Span<long> sizes, int capacity);

    [LibraryImport(Library)]
    internal static partial int gct_numel(TensorHandle tensor, out long numel);

    [LibraryImport(Library)]
    internal static partial int gct_dtype(TensorHandle tensor, out int dtype);

    [LibraryImport(Library)]
    internal static partial int gct_device(TensorHandle tensor, Span<int> typeAndIndex);

    [LibraryImport(Library)]
    internal static partial int gct_is_contiguous(TensorHandle tensor, out int contiguous);

    [LibraryImport(Library)]
    internal static partial int gct_data_ptr(TensorHandle tensor, out IntPtr data);

    [LibraryImport(Library)]
    internal static partial int gct_item_double(TensorHandle tensor, out double value);

    [LibraryImport(Library)]
    internal static partial int gct_item_int64(TensorHandle tensor, out long value);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_to_dtype(TensorHandle tensor, int dtype);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_to_device(TensorHandle tensor, int deviceType, int deviceIndex);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_clone(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_contiguous(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr gct_alias(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial int gct_equal(TensorHandle a, TensorHandle b, out int equal);

    [LibraryImport(Library)]
    internal static partial int gct_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, out int close);

    [LibraryImport(Library)]
    internal static partial int gct_set_num_threads(int threads);

    [LibraryImport(Library)]
    internal static partial int gct_get_num_threads();

    [LibraryImport(Library)]
    internal static partial int gct_cuda_is_available();

    [LibraryImport(Library)]
    internal static partial int gct_cuda_device_count();
}
