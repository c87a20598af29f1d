using System.Buffers;

namespace GenCluster.MessagePack;

/// <summary>
/// Reads tensors in the msgpack-numpy-compatible convention (see <see cref="TensorWriterExtensions"/>). Keys may come
/// in any order and as str or bin (msgpack-numpy itself writes bin keys); the optional <c>kind</c> entry that
/// msgpack-numpy writes is skipped; any other key, a duplicate or a missing key is rejected.
/// </summary>
public static class TensorReaderExtensions
{
    /// <summary>Largest accepted number of dimensions (NumPy 2's limit).</summary>
    public const int MaxRank = 64;

    private enum TensorKey
    {
        Unknown,
        Nd,
        Type,
        Kind,
        Shape,
        Data,
    }

    /// <summary>
    /// Reads a tensor map. Validates <c>nd</c> is true, the type string is supported, dimensions are non-negative and
    /// the data length equals product(shape) × item size. The data is a slice of the input (no copy).
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="MessagePackDecodeException">The value is not a valid tensor map, or the input is malformed.</exception>
    public static TensorPayload ReadTensor(ref this MessagePackReader reader)
    {
        long start = reader.Consumed;
        int count = reader.ReadMapHeader();
        if (count is < 4 or > 5)
        {
            throw Invalid(start, $"a tensor map has 4 or 5 entries, found {count}");
        }

        bool seenNd = false, seenType = false, seenKind = false, seenShape = false, seenData = false;
        string dtype = string.Empty;
        int itemSize = 0;
        long[] shape = [];
        ReadOnlySequence<byte> data = default;

        for (int i = 0; i < count; i++)
        {
            var key = ReadKey(ref reader, start);
            switch (key)
            {
                case TensorKey.Nd:
                    MarkSeen(ref seenNd, "nd", start);
                    if (!reader.ReadBoolean())
                    {
                        throw Invalid(start, "'nd' must be true");
                    }

                    break;
                case TensorKey.Type:
                    MarkSeen(ref seenType, "type", start);
                    (dtype, itemSize) = ReadDType(ref reader, start);
                    break;
                case TensorKey.Kind:
                    MarkSeen(ref seenKind, "kind", start);
                    reader.Skip();
                    break;
                case TensorKey.Shape:
                    MarkSeen(ref seenShape, "shape", start);
                    shape = ReadShape(ref reader, start);
                    break;
                case TensorKey.Data:
                    MarkSeen(ref seenData, "data", start);
                    data = reader.ReadBytes();
                    break;
                default:
                    throw Invalid(start, "unexpected key in tensor map");
            }
        }

        if (!(seenNd && seenType && seenShape && seenData))
        {
            throw Invalid(start, "a tensor map needs the keys nd, type, shape and data");
        }

        long elements = ElementCount(shape, start);
        if (elements > long.MaxValue / itemSize || elements * itemSize != data.Length)
        {
            throw Invalid(start, $"data has {data.Length} bytes, but shape [{string.Join(", ", shape)}] of {dtype} needs {(elements > long.MaxValue / itemSize ? "more" : (elements * itemSize).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }

        return new TensorPayload(dtype, itemSize, shape, elements, data);
    }

    private static TensorKey ReadKey(ref MessagePackReader reader, long start)
    {
        ReadOnlySequence<byte> key = reader.PeekType() switch
        {
            MessagePackType.String => reader.ReadStringSequence(),
            MessagePackType.Binary => reader.ReadBytes(),
            _ => throw Invalid(start, "tensor map keys must be str or bin"),
        };
        if (key.Length > 5)
        {
            return TensorKey.Unknown;
        }

        Span<byte> buffer = stackalloc byte[5];
        key.CopyTo(buffer);
        var text = buffer[..(int)key.Length];
        if (text.SequenceEqual("nd"u8))
        {
            return TensorKey.Nd;
        }

        if (text.SequenceEqual("type"u8))
        {
            return TensorKey.Type;
        }

        if (text.SequenceEqual("kind"u8))
        {
            return TensorKey.Kind;
        }

        if (text.SequenceEqual("shape"u8))
        {
            return TensorKey.Shape;
        }

        return text.SequenceEqual("data"u8) ? TensorKey.Data : TensorKey.Unknown;
    }

    private static (string DType, int ItemSize) ReadDType(ref MessagePackReader reader, long start)
    {
        ReadOnlySequence<byte> value = reader.PeekType() switch
        {
            MessagePackType.String => reader.ReadStringSequence(),
            MessagePackType.Binary => reader.ReadBytes(),
            _ => throw Invalid(start, "'type' must be a str such as \"<f4\""),
        };
        if (value.Length > 8)
        {
            throw Invalid(start, "unsupported tensor dtype");
        }

        Span<byte> buffer = stackalloc byte[8];
        value.CopyTo(buffer);
        if (!TensorDType.TryParse(buffer[..(int)value.Length], out string dtype, out int itemSize))
        {
            throw Invalid(start, "unsupported tensor dtype (expected e.g. <f4, <f8, <i8, |u1, |b1)");
        }

        return (dtype, itemSize);
    }

    private static long[] ReadShape(ref MessagePackReader reader, long start)
    {
        int rank = reader.ReadArrayHeader();
        if (rank > MaxRank)
        {
            throw Invalid(start, $"tensor rank {rank} exceeds {MaxRank}");
        }

        var shape = rank == 0 ? [] : new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long dimension = reader.ReadInt64();
            if (dimension < 0)
            {
                throw Invalid(start, $"negative dimension {dimension}");
            }

            shape[i] = dimension;
        }

        return shape;
    }

    private static long ElementCount(long[] shape, long start)
    {
        if (Array.IndexOf(shape, 0L) >= 0)
        {
            return 0;
        }

        long elements = 1;
        foreach (long dimension in shape)
        {
            if (elements > long.MaxValue / dimension)
            {
                throw Invalid(start, "tensor shape overflows");
            }

            elements *= dimension;
        }

        return elements;
    }

    private static void MarkSeen(ref bool seen, string key, long start)
    {
        if (seen)
        {
            throw Invalid(start, $"duplicate key '{key}' in tensor map");
        }

        seen = true;
    }

    private static MessagePackDecodeException Invalid(long start, string reason) =>
        new(MessagePackDecodeError.InvalidTensor, reason, start);
}
