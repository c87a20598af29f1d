using System.Buffers.Binary;

namespace GenCluster.Imaging;

/// <summary>Writes one PNG chunk: big-endian length, four-letter type, data, CRC-32 over type and data.</summary>
internal static class PngChunk
{
    /// <summary>The largest data length a chunk may declare (2^31 - 1).</summary>
    public const int MaxDataLength = int.MaxValue;

    public static void Write(Stream destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        if (type.Length != 4)
        {
            throw new ArgumentException("A PNG chunk type has exactly four bytes.", nameof(type));
        }

        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        type.CopyTo(header[4..]);

        var crc = Crc32.Append(Crc32.Start, type);
        crc = Crc32.Finish(Crc32.Append(crc, data));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);

        destination.Write(header);
        destination.Write(data);
        destination.Write(trailer);
    }
}
