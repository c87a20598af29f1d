using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A Guid as bin 16 in RFC 4122 (big-endian) byte order, the order Python's <c>uuid.UUID(bytes=…)</c> and other
/// peers use, rather than .NET's mixed-endian <see cref="Guid.ToByteArray()"/> layout.
/// </summary>
internal sealed class GuidSerializer : IMessagePackSerializer<Guid>
{
    private const int Size = 16;

    public void Serialize(ref MessagePackWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[Size];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        writer.WriteBinary(bytes);
    }

    public Guid Deserialize(ref MessagePackReader reader)
    {
        long position = reader.Consumed;
        var bytes = reader.ReadBytes();
        if (bytes.Length != Size)
        {
            throw ReaderChecks.Invalid(position, $"a Guid is bin 16, found {bytes.Length} bytes");
        }

        Span<byte> buffer = stackalloc byte[Size];
        bytes.CopyTo(buffer);
        return new Guid(buffer, bigEndian: true);
    }
}
