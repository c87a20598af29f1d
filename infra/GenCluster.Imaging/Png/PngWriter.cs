using System.Buffers.Binary;
using System.IO.Compression;

namespace GenCluster.Imaging;

/// <summary>
/// Encodes 8-bit greyscale and 8-bit RGB images as PNG (W3C PNG specification / RFC 2083):
/// signature, IHDR, zlib-compressed IDAT chunks with a per-row adaptive filter, IEND.
/// Non-interlaced; no ancillary chunks.
/// </summary>
public static class PngWriter
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>IDAT chunks are cut at this many bytes of compressed data.</summary>
    internal const int DefaultMaxIdatLength = 64 * 1024;

    /// <summary>
    /// Writes a PNG to <paramref name="destination"/> (which stays open).
    /// </summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="pixels">Row-major samples, top row first: one byte per pixel for
    /// <see cref="PngColorType.Grayscale"/>, three (R, G, B) for <see cref="PngColorType.Rgb"/>.</param>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="colorType">How to read <paramref name="pixels"/>.</param>
    /// <exception cref="ArgumentException">A size is not positive, the buffer length is not
    /// <c>width * height * channels</c>, the colour type is unknown, or the stream is not writable.</exception>
    public static void Write(Stream destination, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType) =>
        Write(destination, pixels, width, height, colorType, DefaultMaxIdatLength, CompressionLevel.Optimal);

    /// <summary>Writes <paramref name="image"/> as a greyscale PNG to <paramref name="destination"/> (which stays open).</summary>
    public static void Write(Stream destination, GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write(destination, image.Pixels, image.Width, image.Height, PngColorType.Grayscale);
    }

    /// <summary>Writes <paramref name="image"/> as an RGB PNG to <paramref name="destination"/> (which stays open).</summary>
    public static void Write(Stream destination, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write(destination, image.Pixels, image.Width, image.Height, PngColorType.Rgb);
    }

    /// <summary>Encodes a PNG into a new byte array; arguments as for <see cref="Write(Stream, ReadOnlySpan{byte}, int, int, PngColorType)"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        using var buffer = new MemoryStream();
        Write(buffer, pixels, width, height, colorType);
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> as a greyscale PNG file, replacing any file at <paramref name="path"/>.</summary>
    public static void Save(string path, GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save(path, image.Pixels, image.Width, image.Height, PngColorType.Grayscale);
    }

    /// <summary>Writes <paramref name="image"/> as an RGB PNG file, replacing any file at <paramref name="path"/>.</summary>
    public static void Save(string path, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save(path, image.Pixels, image.Width, image.Height, PngColorType.Rgb);
    }

    /// <summary>Writes a PNG file, replacing any file at <paramref name="path"/>.</summary>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(pixels.Length, width, height, colorType);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(file, pixels, width, height, colorType);
    }

    /// <summary>Number of bytes per pixel for a colour type.</summary>
    internal static int ChannelsOf(PngColorType colorType) => colorType switch
    {
        PngColorType.Grayscale => 1,
        PngColorType.Rgb => 3,
        _ => throw new ArgumentException($"Unsupported PNG colour type {(int)colorType}; use Grayscale (0) or Rgb (2).", nameof(colorType)),
    };

    /// <summary>The full writer, with the IDAT chunk size and compression level exposed for tests.</summary>
    internal static void Write(
        Stream destination,
        ReadOnlySpan<byte> pixels,
        int width,
        int height,
        PngColorType colorType,
        int maxIdatLength,
        CompressionLevel compressionLevel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        Validate(pixels.Length, width, height, colorType);
        var channels = ChannelsOf(colorType);
        var rowBytes = width * channels;

        destination.Write(Signature);
        WriteHeader(destination, width, height, colorType);

        var idat = new IdatChunkStream(destination, maxIdatLength);
        using (var zlib = new ZLibStream(idat, compressionLevel, leaveOpen: true))
        {
            var previous = new byte[rowBytes];
            var scratch = new byte[5 * rowBytes];
            Span<byte> filterType = stackalloc byte[1];
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * rowBytes, rowBytes);
                var type = ScanlineFilter.ChooseAndApply(row, previous, channels, scratch);
                filterType[0] = type;
                zlib.Write(filterType);
                zlib.Write(scratch.AsSpan(type * rowBytes, rowBytes));
                row.CopyTo(previous);
            }
        }

        idat.Complete();
        PngChunk.Write(destination, "IEND"u8, []);
    }

    private static void Validate(int pixelBytes, int width, int height, PngColorType colorType)
    {
        if (width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The image width must be at least 1 pixel.");
        }

        if (height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, "The image height must be at least 1 pixel.");
        }

        var channels = ChannelsOf(colorType);
        var expected = (long)width * height * channels;
        if ((long)width * channels + 1 > int.MaxValue || expected > Array.MaxLength)
        {
            throw new ArgumentException($"A {width}x{height} image with {channels} channel(s) is too large to encode.", nameof(width));
        }

        if (pixelBytes != expected)
        {
            throw new ArgumentException(
                $"The pixel buffer has {pixelBytes} bytes but a {width}x{height} {colorType} image needs width * height * {channels} = {expected}.",
                "pixels");
        }
    }

    private static void WriteHeader(Stream destination, int width, int height, PngColorType colorType)
    {
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                // bit depth
        ihdr[9] = (byte)colorType;  // colour type
        ihdr[10] = 0;               // compression method: deflate
        ihdr[11] = 0;               // filter method: adaptive, five types
        ihdr[12] = 0;               // no interlace
        PngChunk.Write(destination, "IHDR"u8, ihdr);
    }
}
