using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// A tensor read from a tensor map (see <see cref="TensorReaderExtensions.ReadTensor"/>): its type string, shape and
/// raw little-endian data, the latter a slice of the reader's input (valid as long as the input is). The data
/// length has been checked to equal the product of the shape times the item size.
/// </summary>
public readonly struct TensorPayload
{
    private readonly string? _dtype;
    private readonly long[]? _shape;

    internal TensorPayload(string dtype, int itemSize, long[] shape, long elementCount, ReadOnlySequence<byte> data)
    {
        _dtype = dtype;
        ItemSize = itemSize;
        _shape = shape;
        ElementCount = elementCount;
        Data = data;
    }

    /// <summary>The NumPy type string, e.g. <c>&lt;f4</c>.</summary>
    public string DType => _dtype ?? string.Empty;

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>The dimensions (empty for a 0-d tensor, which holds one element).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape?.Length ?? 0;

    /// <summary>Number of elements: the product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The raw little-endian element bytes (<see cref="ElementCount"/> × <see cref="ItemSize"/> bytes).</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>Copies the elements of a <c>&lt;f4</c> tensor.</summary>
    /// <param name="destination">At least <see cref="ElementCount"/> elements.</param>
    /// <exception cref="InvalidOperationException">The tensor is of another type.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<float> destination) => CopyElements(destination, TensorDType.Float32);

    /// <summary>Copies the elements of a <c>&lt;f8</c> tensor.</summary>
    /// <param name="destination">At least <see cref="ElementCount"/> elements.</param>
    /// <exception cref="InvalidOperationException">The tensor is of another type.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<double> destination) => CopyElements(destination, TensorDType.Float64);

    /// <summary>Copies the elements of a <c>&lt;i8</c> tensor.</summary>
    /// <param name="destination">At least <see cref="ElementCount"/> elements.</param>
    /// <exception cref="InvalidOperationException">The tensor is of another type.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<long> destination) => CopyElements(destination, TensorDType.Int64);

    /// <summary>Copies the elements of a <c>&lt;i4</c> tensor.</summary>
    /// <param name="destination">At least <see cref="ElementCount"/> elements.</param>
    /// <exception cref="InvalidOperationException">The tensor is of another type.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<int> destination) => CopyElements(destination, TensorDType.Int32);

    /// <summary>Copies the raw element bytes, whatever the type.</summary>
    /// <param name="destination">At least <see cref="Data"/>.Length bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyRawTo(Span<byte> destination)
    {
        if (destination.Length < Data.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, tensor has {Data.Length}", nameof(destination));
        }

        Data.CopyTo(destination);
    }

    /// <summary>Returns the elements of a <c>&lt;f4</c> tensor as a new array.</summary>
    /// <returns>The elements in row-major order.</returns>
    public float[] ToSingleArray()
    {
        var result = new float[ElementCount];
        CopyTo(result);
        return result;
    }

    /// <summary>Returns the elements of a <c>&lt;f8</c> tensor as a new array.</summary>
    /// <returns>The elements in row-major order.</returns>
    public double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        CopyTo(result);
        return result;
    }

    /// <summary>Returns the elements of a <c>&lt;i8</c> tensor as a new array.</summary>
    /// <returns>The elements in row-major order.</returns>
    public long[] ToInt64Array()
    {
        var result = new long[ElementCount];
        CopyTo(result);
        return result;
    }

    private void CopyElements<T>(Span<T> destination, string expectedDType)
        where T : unmanaged
    {
        if (!string.Equals(DType, expectedDType, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"tensor dtype is '{DType}', not '{expectedDType}'");
        }

        if (destination.Length < ElementCount)
        {
            throw new ArgumentException($"destination holds {destination.Length} elements, tensor has {ElementCount}", nameof(destination));
        }

        var bytes = MemoryMarshal.AsBytes(destination[..(int)ElementCount]);
        Data.CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            for (int offset = 0; offset < bytes.Length; offset += ItemSize)
            {
                bytes.Slice(offset, ItemSize).Reverse();
            }
        }
    }
}
