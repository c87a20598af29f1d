using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

/// <summary>
/// The PyTorch-shaped entry point: tensor factories, random seeding, grad mode and threads.
/// <c>using static GenCluster.Torch.torch;</c> lets code read like PyTorch (<c>nn.Linear</c>, <c>randn</c>).
/// </summary>
public static partial class torch
{
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>A device from its PyTorch name, e.g. <c>"cpu"</c> or <c>"cuda:0"</c>.</summary>
    public static Device device(string name) => Device.Parse(name);

    public static Tensor empty(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.gct_empty, shape, dtype, device, requires_grad);

    public static Tensor zeros(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.gct_zeros, shape, dtype, device, requires_grad);

    public static Tensor ones(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.gct_ones, shape, dtype, device, requires_grad);

    public static Tensor full(long[] shape, double value, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(NativeMethods.gct_full(shape, shape.Length, value, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    /// <summary>Samples of N(0, 1).</summary>
    public static Tensor randn(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(NativeMethods.gct_randn(shape, shape.Length, Generator.HandleOrNull(generator), (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    /// <summary>Samples of U[0, 1).</summary>
    public static Tensor rand(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(NativeMethods.gct_rand(shape, shape.Length, Generator.HandleOrNull(generator), (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    /// <summary>Integers drawn uniformly from [low, high).</summary>
    public static Tensor randint(long low, long high, long[] shape, ScalarType dtype = int64, Device? device = null, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(NativeMethods.gct_randint(low, high, shape, shape.Length, Generator.HandleOrNull(generator), (int)dtype, (int)d.Type, d.Index, 0));
    }

    /// <summary>Values from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) by <paramref name="step"/>.</summary>
    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(NativeMethods.gct_arange(start, end, step, (int)dtype, (int)d.Type, d.Index, 0));
    }

    /// <summary>Values 0 … end-1.</summary>
    public static Tensor arange(long end, ScalarType dtype = int64, Device? device = null) => arange(0, end, 1, dtype, device);

    /// <summary>Copies host values into a new CPU tensor of the given shape (a vector when the shape is omitted).</summary>
    /// <exception cref="TorchException">The number of values does not match the shape.</exception>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> values, long[]? shape = null, bool requires_grad = false) where T : unmanaged
    {
        shape ??= [values.Length];
        fixed (T* data = values)
        {
            return NativeResult.Tensor(NativeMethods.gct_from_buffer(data, (long)values.Length * sizeof(T), shape, shape.Length, (int)ScalarTypes.Of<T>(), requires_grad ? 1 : 0));
        }
    }

    /// <inheritdoc cref="tensor{T}(ReadOnlySpan{T}, long[], bool)"/>
    public static Tensor tensor<T>(T[] values, long[]? shape = null, bool requires_grad = false) where T : unmanaged =>
        tensor((ReadOnlySpan<T>)values, shape, requires_grad);

    /// <summary>A one-element tensor with no dimensions.</summary>
    public static Tensor scalar_tensor(double value, ScalarType dtype = float32) => full([], value, dtype);

    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);

    /// <summary>Stacks tensors along a new dimension.</summary>
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    public static Tensor where(Tensor condition, Tensor a, Tensor b) =>
        NativeResult.Tensor(NativeMethods.gct_where(condition.Handle, a.Handle, b.Handle));

    /// <summary>Seeds the process-wide default generator (and CUDA's, where present).</summary>
    public static void manual_seed(ulong seed) => NativeMethods.gct_manual_seed(seed);

    /// <summary>Sets the number of threads libtorch uses inside one operation (process-wide).</summary>
    public static void set_num_threads(int threads) => NativeResult.Check(NativeMethods.gct_set_num_threads(threads));

    public static int get_num_threads() => NativeMethods.gct_get_num_threads();

    /// <summary>A dispose scope for the calling thread; see <see cref="DisposeScope"/>.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording on this thread until the returned guard is disposed.</summary>
    public static GradModeGuard no_grad() => new(enabled: false);

    /// <summary>Enables gradient recording on this thread until the returned guard is disposed.</summary>
    public static GradModeGuard enable_grad() => new(enabled: true);

    public static bool is_grad_enabled() => NativeMethods.gct_grad_enabled() != 0;

    /// <summary>CUDA queries.</summary>
    public static class cuda
    {
        /// <summary>Whether this libtorch build has CUDA and a GPU is present.</summary>
        public static bool is_available() => NativeMethods.gct_cuda_is_available() != 0;

        public static int device_count() => NativeMethods.gct_cuda_device_count();
    }

    private delegate IntPtr Factory(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    private static Tensor Create(Factory factory, long[] shape, ScalarType dtype, Device? device, bool requiresGrad)
    {
        var d = device ?? Device.CPU;
        return NativeResult.Tensor(factory(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var handles = new IntPtr[tensors.Count];
        var added = 0;
        try
        {
            // Keep every handle alive for the duration of the native call.
            for (; added < tensors.Count; added++)
            {
                var success = false;
                tensors[added].Handle.DangerousAddRef(ref success);
                handles[added] = tensors[added].Handle.DangerousGetHandle();
            }

            return NativeResult.Tensor(stack
                ? NativeMethods.gct_stack(handles, handles.Length, dim)
                : NativeMethods.gct_cat(handles, handles.Length, dim));
        }
        finally
        {
            for (var i = 0; i < added; i++)
            {
                tensors[i].Handle.DangerousRelease();
            }
        }
    }
}

/// <summary>Restores the previous grad mode of the thread when disposed.</summary>
public readonly struct GradModeGuard : IDisposable
{
    private readonly bool _previous;

    internal GradModeGuard(bool enabled)
    {
        _previous = NativeMethods.gct_grad_enabled() != 0;
        NativeMethods.gct_set_grad_enabled(enabled ? 1 : 0);
    }

    /// <inheritdoc />
    public void Dispose() => NativeMethods.gct_set_grad_enabled(_previous ? 1 : 0);
}
