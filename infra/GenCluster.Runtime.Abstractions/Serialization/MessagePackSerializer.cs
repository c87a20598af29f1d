using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// Serializes values to and from MessagePack bytes with the serializer <see cref="Serializer{T}"/> resolves for their
/// static type (built-in, generated for [GenerateSerializer] types, or registered by hand).
/// </summary>
public static class MessagePackSerializer
{
    private static readonly byte[] s_nil = [MessagePackCode.Nil];

    /// <summary>A MessagePack nil: the result of a call that returns nothing.</summary>
    public static ReadOnlyMemory<byte> Nil => s_nil;

    /// <summary>Serializes <paramref name="value"/> into a new array of its exact size.</summary>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static byte[] Serialize<T>(T value)
    {
        using var buffer = SerializationBuffer.Rent();
        var writer = new MessagePackWriter(buffer);
        Serializer<T>.Instance.Serialize(ref writer, value);
        return buffer.ToArray();
    }

    /// <summary>
    /// Serializes <paramref name="value"/> into memory the caller owns (see <see cref="SerializationBuffer.TakeWritten"/>):
    /// no second copy for large values. A large tensor array is copied once into an array of its own
    /// (<see cref="SerializationBuffer.RentHandingOver"/>), which a reader in this process takes over as the
    /// deserialized array. Call results and stream items use this.
    /// </summary>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static ReadOnlyMemory<byte> SerializeToMemory<T>(T value)
    {
        using var buffer = SerializationBuffer.RentHandingOver();
        var writer = new MessagePackWriter(buffer);
        Serializer<T>.Instance.Serialize(ref writer, value);
        return buffer.TakeWritten();
    }

    /// <summary>
    /// Serializes <paramref name="value"/> keeping its large tensor arrays by reference (see
    /// <see cref="SerializationBuffer.Rent(bool)"/>): they are sent from where they lie, so they must stay unchanged
    /// while the bytes are in use. Results of methods marked <see cref="ResultByReferenceAttribute"/> use this.
    /// </summary>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static ReadOnlyMemory<byte> SerializeByReference<T>(T value)
    {
        using var buffer = SerializationBuffer.Rent(keepReferences: true);
        var writer = new MessagePackWriter(buffer);
        Serializer<T>.Instance.Serialize(ref writer, value);
        return buffer.TakeWritten();
    }

    /// <summary>Serializes <paramref name="value"/> into <paramref name="output"/> (e.g. a pipe or a frame body).</summary>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static void Serialize<T>(IBufferWriter<byte> output, T value)
    {
        var writer = new MessagePackWriter(output);
        Serializer<T>.Instance.Serialize(ref writer, value);
    }

    /// <summary>Deserializes exactly one value that fills <paramref name="bytes"/>.</summary>
    /// <exception cref="MessagePackDecodeException">The bytes are malformed, over a limit, of another shape, or followed by more bytes.</exception>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlyMemory<byte> bytes, MessagePackReaderOptions? options = null)
    {
        var reader = new MessagePackReader(bytes, options);
        return ReadWhole<T>(ref reader);
    }

    /// <summary>Deserializes exactly one value that fills <paramref name="bytes"/> (possibly several segments).</summary>
    /// <exception cref="MessagePackDecodeException">The bytes are malformed, over a limit, of another shape, or followed by more bytes.</exception>
    /// <exception cref="SerializerNotFoundException">No serializer is known for <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(in ReadOnlySequence<byte> bytes, MessagePackReaderOptions? options = null)
    {
        var reader = new MessagePackReader(bytes, options);
        return ReadWhole<T>(ref reader);
    }

    private static T ReadWhole<T>(ref MessagePackReader reader)
    {
        var value = Serializer<T>.Instance.Deserialize(ref reader);
        if (!reader.End)
        {
            throw new MessagePackDecodeException(
                MessagePackDecodeError.InvalidFrame,
                $"{reader.Remaining} bytes follow the {typeof(T).Name} value",
                reader.Consumed);
        }

        return value;
    }
}
