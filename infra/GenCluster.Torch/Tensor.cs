using System.Globalization;
using System.Text;
using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

/// <summary>
/// An n-dimensional array on a device, backed by a libtorch tensor. Method names follow PyTorch
/// (<c>reshape</c>, <c>backward</c>, <c>add_</c>), so PyTorch's documentation applies.
/// </summary>
/// <remarks>
/// A <see cref="Tensor"/> owns a native handle: dispose it, or create it inside a
/// <see cref="DisposeScope"/>. Views share storage with their base; disposing a view frees
/// only the view's handle.
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    internal Tensor(TensorHandle handle)
    {
        Handle = handle;
        DisposeScope.Current?.Register(this);
    }

    internal TensorHandle Handle { get; }

    internal DisposeScope? Scope { get; set; }

    /// <summary>Whether <see cref="Dispose"/> has released the native handle.</summary>
    public bool IsDisposed => Handle.IsClosed;

    /// <summary>The number of dimensions.</summary>
    public long dim()
    {
        NativeResult.Check(NativeMethods.gct_dim(Handle, out var dim));
        return dim;
    }

    /// <summary>The size of each dimension.</summary>
    public long[] shape
    {
        get
        {
            var sizes = new long[dim()];
            NativeResult.Check(NativeMethods.gct_sizes(Handle, sizes, sizes.Length));
            return sizes;
        }
    }

    /// <summary>The size of dimension <paramref name="dimension"/> (negative counts from the end).</summary>
    public long size(int dimension)
    {
        var sizes = shape;
        var d = dimension < 0 ? dimension + sizes.Length : dimension;
        if (d < 0 || d >= sizes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"tensor has {sizes.Length} dimensions");
        }

        return sizes[d];
    }

    /// <summary>The number of elements.</summary>
    public long numel()
    {
        NativeResult.Check(NativeMethods.gct_numel(Handle, out var numel));
        return numel;
    }

    /// <summary>The element type.</summary>
    public ScalarType dtype
    {
        get
        {
            NativeResult.Check(NativeMethods.gct_dtype(Handle, out var dtype));
            return (ScalarType)dtype;
        }
    }

    /// <summary>The device that holds the elements.</summary>
    public Device device
    {
        get
        {
            Span<int> typeAndIndex = stackalloc int[2];
            NativeResult.Check(NativeMethods.gct_device(Handle, typeAndIndex));
            return new Device((DeviceType)typeAndIndex[0], typeAndIndex[1]);
        }
    }

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool is_contiguous()
    {
        NativeResult.Check(NativeMethods.gct_is_contiguous(Handle, out var contiguous));
        return contiguous != 0;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(bool) || typeof(T) == typeof(byte))
        {
            NativeResult.Check(NativeMethods.gct_item_int64(Handle, out var integer));
            return typeof(T) == typeof(long) ? (T)(object)integer
                : typeof(T) == typeof(int) ? (T)(object)checked((int)integer)
                : typeof(T) == typeof(byte) ? (T)(object)checked((byte)integer)
                : (T)(object)(integer != 0);
        }

        NativeResult.Check(NativeMethods.gct_item_double(Handle, out var value));
        return typeof(T) == typeof(double) ? (T)(object)value
            : typeof(T) == typeof(float) ? (T)(object)(float)value
            : throw new NotSupportedException($"item<{typeof(T).Name}> is not supported");
    }

    /// <summary>Copies the elements (from any device or layout) into a new row-major array.</summary>
    /// <exception cref="ArgumentException">The element type is not <typeparamref name="T"/>.</exception>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>();
        var result = new T[checked((int)numel())];
        fixed (T* destination = result)
        {
            NativeResult.Check(NativeMethods.gct_copy_to_buffer(Handle, destination, (long)result.Length * sizeof(T)));
        }

        return result;
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor as a span over its native memory (no copy).
    /// The span is valid while this tensor and its storage are alive.
    /// </summary>
    public unsafe Span<T> data<T>() where T : unmanaged
    {
        CheckElementType<T>();
        if (!is_contiguous())
        {
            throw new InvalidOperationException("data<T>() needs a contiguous tensor; call contiguous() first");
        }

        NativeResult.Check(NativeMethods.gct_data_ptr(Handle, out var pointer));
        return new Span<T>((void*)pointer, checked((int)numel()));
    }

    /// <summary>Frees the native handle; further use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Scope?.Forget(this);
        Scope = null;
        Handle.Dispose();
    }

    /// <summary>Removes this tensor from its dispose scope; the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Forget(this);
        Scope = null;
        return this;
    }

    /// <summary>Moves this tensor to the scope enclosing its current one.</summary>
    public Tensor MoveToOuterDisposeScope() => Scope is null ? this : Scope.MoveToOuter(this);

    /// <summary>Shape, dtype and device, plus the values of small tensors.</summary>
    public override string ToString()
    {
        if (IsDisposed)
        {
            return "tensor(<disposed>)";
        }

        var text = new StringBuilder("tensor(");
        var sizes = shape;
        text.Append('[').AppendJoin(", ", sizes).Append("], ").Append(dtype.PyTorchName()).Append(", ").Append(device);
        if (numel() <= 16 && dtype is ScalarType.Float32 or ScalarType.Float64)
        {
            using var asDouble = to(ScalarType.Float64);
            text.Append(", values=[")
                .AppendJoin(", ", asDouble.ToArray<double>().Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))
                .Append(']');
        }

        return text.Append(')').ToString();
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        var actual = dtype;
        if (actual != expected)
        {
            throw new ArgumentException($"tensor holds {actual.PyTorchName()}, not {typeof(T).Name}");
        }
    }

    internal static TensorHandle HandleOrNull(Tensor? tensor) => tensor?.Handle ?? TensorHandle.Null;
}
