using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// Writes tensors in the msgpack-numpy-compatible convention: a map
/// <c>{"nd": true, "type": "&lt;f4", "shape": [..], "data": bin}</c> whose data is the raw little-endian element
/// bytes in row-major order, carried as bin 8/16/32 (never as an array of floats).
/// </summary>
public static class TensorWriterExtensions
{
    /// <summary>Writes a tensor from raw little-endian element bytes.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="rawData">Element bytes, row-major, little-endian.</param>
    /// <param name="dtype">NumPy type string, e.g. <see cref="TensorDType.Float32"/>.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">Unsupported dtype, negative dimension, or a data length that does not match the shape.</exception>
    public static void WriteTensor(ref this MessagePackWriter writer, ReadOnlySpan<byte> rawData, string dtype, ReadOnlySpan<long> shape)
    {
        long byteLength = WriteTensorHeader(ref writer, dtype, shape);
        if (byteLength != rawData.Length)
        {
            throw new ArgumentException($"data has {rawData.Length} bytes, shape and dtype need {byteLength}", nameof(rawData));
        }

        writer.WriteRaw(rawData);
    }

    /// <summary>
    /// Writes a tensor whose data is appended by reference when the output allows it (see
    /// <see cref="MessagePackWriter.WriteRawByReference"/>): a large tensor is then sent from its own memory, not copied.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="rawData">Element bytes, row-major, little-endian; unchanged until the output has been consumed.</param>
    /// <param name="dtype">NumPy type string, e.g. <see cref="TensorDType.Float32"/>.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">Unsupported dtype, negative dimension, or a data length that does not match the shape.</exception>
    public static void WriteTensorByReference(ref this MessagePackWriter writer, ReadOnlyMemory<byte> rawData, string dtype, ReadOnlySpan<long> shape)
    {
        long byteLength = WriteTensorHeader(ref writer, dtype, shape);
        if (byteLength != rawData.Length)
        {
            throw new ArgumentException($"data has {rawData.Length} bytes, shape and dtype need {byteLength}", nameof(rawData));
        }

        writer.WriteRawByReference(rawData);
    }

    /// <summary>Writes a <c>&lt;f4</c> tensor.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="data">Elements, row-major.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">The element count does not match the shape.</exception>
    public static void WriteTensor(ref this MessagePackWriter writer, ReadOnlySpan<float> data, ReadOnlySpan<long> shape) =>
        WriteElements(ref writer, data, TensorDType.Float32, shape);

    /// <summary>Writes a <c>&lt;f8</c> tensor.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="data">Elements, row-major.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">The element count does not match the shape.</exception>
    public static void WriteTensor(ref this MessagePackWriter writer, ReadOnlySpan<double> data, ReadOnlySpan<long> shape) =>
        WriteElements(ref writer, data, TensorDType.Float64, shape);

    /// <summary>Writes a <c>&lt;i8</c> tensor.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="data">Elements, row-major.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">The element count does not match the shape.</exception>
    public static void WriteTensor(ref this MessagePackWriter writer, ReadOnlySpan<long> data, ReadOnlySpan<long> shape) =>
        WriteElements(ref writer, data, TensorDType.Int64, shape);

    /// <summary>Writes a <c>&lt;i4</c> tensor.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="data">Elements, row-major.</param>
    /// <param name="shape">Dimensions (empty for a 0-d tensor).</param>
    /// <exception cref="ArgumentException">The element count does not match the shape.</exception>
    public static void WriteTensor(ref this MessagePackWriter writer, ReadOnlySpan<int> data, ReadOnlySpan<long> shape) =>
        WriteElements(ref writer, data, TensorDType.Int32, shape);

    /// <summary>
    /// Writes everything of a tensor map except the data bytes: the map, <c>nd</c>, <c>type</c>, <c>shape</c> and the
    /// bin header of <c>data</c>. The caller must then write exactly the returned number of raw little-endian bytes
    /// (e.g. straight from native memory into <see cref="MessagePackWriter.GetSpan"/>).
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="dtype">NumPy type string.</param>
    /// <param name="shape">Dimensions.</param>
    /// <returns>The number of data bytes that must follow.</returns>
    /// <exception cref="ArgumentException">Unsupported dtype, negative dimension, or a tensor larger than a bin 32 can hold.</exception>
    public static long WriteTensorHeader(ref this MessagePackWriter writer, string dtype, ReadOnlySpan<long> shape)
    {
        int itemSize = TensorDType.GetItemSize(dtype);
        long byteLength = ByteLength(shape, itemSize);
        writer.WriteMapHeader(4);
        writer.WriteStringUtf8("nd"u8);
        writer.Write(true);
        writer.WriteStringUtf8("type"u8);
        writer.WriteString(dtype);
        writer.WriteStringUtf8("shape"u8);
        writer.WriteArrayHeader(shape.Length);
        foreach (long dimension in shape)
        {
            writer.Write(dimension);
        }

        writer.WriteStringUtf8("data"u8);
        writer.WriteBinaryHeader((int)byteLength);
        return byteLength;
    }

    private static void WriteElements<T>(ref MessagePackWriter writer, ReadOnlySpan<T> data, string dtype, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(data);
        if (BitConverter.IsLittleEndian)
        {
            WriteTensor(ref writer, bytes, dtype, shape);
            return;
        }

        int itemSize = bytes.Length / Math.Max(1, data.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        try
        {
            var swapped = rented.AsSpan(0, bytes.Length);
            bytes.CopyTo(swapped);
            for (int offset = 0; offset < swapped.Length; offset += itemSize)
            {
                swapped.Slice(offset, itemSize).Reverse();
            }

            WriteTensor(ref writer, swapped, dtype, shape);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static long ByteLength(ReadOnlySpan<long> shape, int itemSize)
    {
        long elements = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"negative dimension {dimension}", nameof(shape));
            }
        }

        foreach (long dimension in shape)
        {
            if (dimension == 0)
            {
                return 0;
            }

            if (elements > int.MaxValue / dimension)
            {
                throw new ArgumentException("tensor too large for one bin 32 value", nameof(shape));
            }

            elements *= dimension;
        }

        long bytes = elements * itemSize;
        return bytes <= int.MaxValue ? bytes : throw new ArgumentException("tensor too large for one bin 32 value", nameof(shape));
    }
}
