using System.Buffers.Binary;
using System.IO.Compression;

namespace GenCluster.Datasets;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or raw.
/// </summary>
/// <remarks>
/// <para>
/// An IDX file is a big-endian header followed by the payload: a 4-byte magic number
/// <c>00 00 TT NN</c> (two zero bytes, the element type code <c>TT</c>, the number of
/// dimensions <c>NN</c>), then <c>NN</c> dimension sizes as big-endian 32-bit integers, then the
/// elements in row-major order. A file starting with the gzip magic bytes <c>1f 8b</c> is
/// decompressed on the fly.
/// </para>
/// <para>
/// Every problem with the content is reported as an <see cref="InvalidDataException"/> whose
/// message starts with the file's path and says what is wrong. The payload size the header
/// claims is checked against a limit before anything is allocated.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The default upper bound on the payload size a header may claim: 1 GiB.</summary>
    public const long DefaultMaxPayloadBytes = 1L << 30;

    private const int MaxReportedTrailingBytes = 1 << 20;

    /// <summary>
    /// Reads an IDX file.
    /// </summary>
    /// <param name="path">The file to read; gzip-compressed files are detected by their magic bytes.</param>
    /// <param name="expectedElementType">If given, the element type the file must have.</param>
    /// <param name="expectedRank">If given, the number of dimensions the file must have.</param>
    /// <param name="maxPayloadBytes">The largest payload (in bytes) accepted; a header claiming more is rejected before allocating.</param>
    /// <returns>The element type, dimensions and payload bytes of the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid IDX file, or does not match the expectations.</exception>
    public static IdxArray Read(
        string path,
        IdxElementType? expectedElementType = null,
        int? expectedRank = null,
        long maxPayloadBytes = DefaultMaxPayloadBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadBytes);
        if (expectedRank is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(expectedRank));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: IDX file not found.", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> start = stackalloc byte[2];
        int startLength = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = startLength == 2 && start[0] == 0x1f && start[1] == 0x8b;
        if (!gzip)
        {
            return ReadContent(file, path, compressed: false, file.Length, expectedElementType, expectedRank, maxPayloadBytes);
        }

        using var inflater = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        IdxArray result;
        try
        {
            result = ReadContent(inflater, path, compressed: true, knownLength: null, expectedElementType, expectedRank, maxPayloadBytes);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // Thrown by the inflater itself: the gzip stream is damaged.
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message}).", e);
        }

        CheckGzipTrailer(file, path, 4 + (4L * result.Rank) + result.Span.Length);
        return result;
    }

    /// <summary>The size in bytes of one element of the given type.</summary>
    /// <param name="elementType">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined element type.</exception>
    public static int ElementSize(IdxElementType elementType) => elementType switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        IdxElementType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Not an IDX element type."),
    };

    private static IdxArray ReadContent(
        Stream content,
        string path,
        bool compressed,
        long? knownLength,
        IdxElementType? expectedElementType,
        int? expectedRank,
        long maxPayloadBytes)
    {
        Span<byte> magicBytes = stackalloc byte[4];
        int got = content.ReadAtLeast(magicBytes, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw Invalid(path, $"too short for an IDX header: expected 4 magic bytes, found {got}");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        if (magicBytes[0] != 0 || magicBytes[1] != 0)
        {
            throw Invalid(path, $"bad magic number 0x{magic:X8}: an IDX file starts with two zero bytes (e.g. 0x00000803 for images, 0x00000801 for labels)" +
                (compressed ? string.Empty : " and this is not a gzip file either"));
        }

        byte typeCode = magicBytes[2];
        int rank = magicBytes[3];
        if (!Enum.IsDefined((IdxElementType)typeCode))
        {
            throw Invalid(path, $"unsupported element type 0x{typeCode:X2} in magic number 0x{magic:X8} (known: 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E)");
        }

        var elementType = (IdxElementType)typeCode;
        if (expectedElementType is { } wantType && wantType != elementType)
        {
            throw Invalid(path, $"expected element type {wantType} (0x{(byte)wantType:X2}), found {elementType} (0x{typeCode:X2}) in magic number 0x{magic:X8}");
        }

        if (expectedRank is { } wantRank && wantRank != rank)
        {
            string wanted = expectedElementType is { } t ? $" (magic 0x0000{(byte)t:X2}{wantRank:X2})" : string.Empty;
            throw Invalid(path, $"expected {wantRank} dimension(s){wanted}, the header has {rank} (magic 0x{magic:X8})");
        }

        if (rank == 0)
        {
            throw Invalid(path, $"the header declares 0 dimensions (magic 0x{magic:X8})");
        }

        Span<byte> sizeBytes = stackalloc byte[4 * rank];
        got = content.ReadAtLeast(sizeBytes, sizeBytes.Length, throwOnEndOfStream: false);
        if (got < sizeBytes.Length)
        {
            throw Invalid(path, $"header truncated: expected {rank} dimension sizes ({sizeBytes.Length} bytes), found {got} bytes");
        }

        var dimensions = new int[rank];
        bool anyZero = false;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes.Slice(4 * i, 4));
            if (size > int.MaxValue)
            {
                throw Invalid(path, $"dimension {i} has an absurd size {size} (header corrupt)");
            }

            dimensions[i] = (int)size;
            anyZero |= size == 0;
        }

        int elementSize = ElementSize(elementType);
        long limit = Math.Min(maxPayloadBytes, Array.MaxLength);
        long payloadBytes = anyZero ? 0 : elementSize;
        if (!anyZero)
        {
            foreach (int d in dimensions)
            {
                if (payloadBytes > limit / d)
                {
                    throw Invalid(path,
                        $"the header claims dimensions [{string.Join(", ", dimensions)}] of {elementType}, more than the limit of {limit} payload bytes; " +
                        "the header is corrupt or the file is not an IDX file");
                }

                payloadBytes *= d;
            }
        }

        string shape = $"[{string.Join(", ", dimensions)}]";
        long headerBytes = 4 + 4L * rank;
        if (knownLength is { } length && length - headerBytes < payloadBytes)
        {
            // Raw file: the size on disk says it is short before anything is allocated.
            throw Truncated(path, payloadBytes, shape, length - headerBytes);
        }

        byte[] data = GC.AllocateUninitializedArray<byte>((int)payloadBytes);
        got = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
        {
            throw Truncated(path, payloadBytes, shape, got);
        }

        long trailing = CountTrailingBytes(content);
        if (trailing > 0)
        {
            string count = trailing >= MaxReportedTrailingBytes ? $"at least {trailing}" : trailing.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Invalid(path, $"{count} unexpected byte(s) after the {payloadBytes}-byte payload for dimensions {shape} (header and size disagree)");
        }

        return new IdxArray(path, elementType, dimensions, data);
    }

    private static void CheckGzipTrailer(FileStream file, string path, long decompressedLength)
    {
        // The inflater verifies the CRC-32 and size of a trailer that is present, but quietly accepts a
        // stream that ends without one. A single-member gzip file ends with ISIZE, the decompressed
        // length mod 2^32; multi-member files are not used for IDX data and are rejected here.
        const int MinimumGzipLength = 18;
        if (file.Length < MinimumGzipLength)
        {
            throw Invalid(path, $"gzip file of {file.Length} bytes is too short to hold a header and trailer (file truncated)");
        }

        Span<byte> isize = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(isize);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(isize);
        uint actual = unchecked((uint)decompressedLength);
        if (stored != actual)
        {
            throw Invalid(path,
                $"gzip trailer missing or damaged: it records {stored} decompressed bytes (mod 2^32), the stream held {decompressedLength} " +
                "(file truncated, or a multi-member gzip file, which is not supported)");
        }
    }

    private static long CountTrailingBytes(Stream content)
    {
        // Reading to the end also makes the inflater verify the gzip trailer (CRC-32 and size).
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int n;
        while (total < MaxReportedTrailingBytes && (n = content.Read(scratch)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static InvalidDataException Truncated(string path, long expected, string shape, long found) =>
        Invalid(path, $"expected {expected} payload bytes for dimensions {shape}, found {Math.Max(0, found)} (file truncated)");

    private static InvalidDataException Invalid(string path, string what) => new($"{path}: {what}.");
}
