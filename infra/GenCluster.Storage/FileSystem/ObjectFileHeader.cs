using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GenCluster.Storage.FileSystem;

/// <summary>
/// The fixed header in front of an object's bytes in its file: what the object store records about them. Keeping
/// it in the same file as the bytes makes publishing both one atomic rename.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic "GCOBJ" 1 \r \n (8 bytes), length (int64), SHA-256 (32 bytes),
/// ETag (16 random bytes), last modified (int64 Unix milliseconds). 72 bytes in all; the bytes follow.
/// </remarks>
internal readonly record struct ObjectFileHeader(long Length, byte[] Sha256, byte[] ETag, DateTimeOffset LastModified)
{
    /// <summary>The header's size in bytes: where the object's bytes start.</summary>
    public const int Size = 72;

    private const int ETagSize = 16;
    private static ReadOnlySpan<byte> Magic => "GCOBJ\u0001\r\n"u8;

    /// <summary>The ETag as text (hex).</summary>
    public string ETagText => Convert.ToHexStringLower(ETag);

    /// <summary>A fresh random ETag.</summary>
    public static byte[] NewETag() => RandomNumberGenerator.GetBytes(ETagSize);

    /// <summary>Writes the header into <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    public void Write(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Length);
        Sha256.CopyTo(destination[16..48]);
        ETag.CopyTo(destination[48..64]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[64..], LastModified.ToUnixTimeMilliseconds());
    }

    /// <summary>Reads a header; false when the bytes are not one (wrong magic, negative length, too short).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ObjectFileHeader header)
    {
        header = default;
        if (source.Length < Size || !source[..8].SequenceEqual(Magic))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(source[8..]);
        var modified = BinaryPrimitives.ReadInt64LittleEndian(source[64..]);
        if (length < 0 || modified < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || modified > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        header = new ObjectFileHeader(length, source[16..48].ToArray(), source[48..64].ToArray(), DateTimeOffset.FromUnixTimeMilliseconds(modified));
        return true;
    }
}
