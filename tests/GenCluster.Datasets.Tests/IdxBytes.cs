using System.Buffers.Binary;
using System.IO.Compression;

namespace GenCluster.Datasets.Tests;

/// <summary>Builds IDX file contents for tests, byte by byte from the format's definition.</summary>
internal static class IdxBytes
{
    public static byte[] Header(uint magic, params int[] dimensions)
    {
        var header = new byte[4 + (4 * dimensions.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        return header;
    }

    public static byte[] UnsignedBytes(int[] dimensions, byte[] payload)
    {
        uint magic = 0x0800u | (uint)dimensions.Length;
        return [.. Header(magic, dimensions), .. payload];
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }
}
