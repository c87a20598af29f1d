using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A byte array as a bin value (never an array of integers); null travels as nil.</summary>
internal sealed class ByteArraySerializer : IMessagePackSerializer<byte[]>
{
    public void Serialize(ref MessagePackWriter writer, byte[] value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteBinary(value);
    }

    // A copy: the input buffer may be pooled and reused once the message is handled.
    public byte[] Deserialize(ref MessagePackReader reader) => reader.TryReadNil() ? null! : reader.ReadBytes().ToArray();
}

/// <summary>Bytes as a bin value; reading copies them out of the input and takes nil as empty.</summary>
internal sealed class ReadOnlyMemorySerializer : IMessagePackSerializer<ReadOnlyMemory<byte>>
{
    public void Serialize(ref MessagePackWriter writer, ReadOnlyMemory<byte> value) => writer.WriteBinary(value.Span);

    public ReadOnlyMemory<byte> Deserialize(ref MessagePackReader reader) =>
        reader.TryReadNil() ? ReadOnlyMemory<byte>.Empty : reader.ReadBytes().ToArray();
}
