using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GenCluster.Imaging.Tests;

/// <summary>A decoded PNG as <see cref="TestPngDecoder"/> saw it.</summary>
internal sealed record DecodedPng(
    int Width,
    int Height,
    int BitDepth,
    int ColorType,
    int Interlace,
    byte[] Pixels,
    IReadOnlyList<string> ChunkTypes,
    IReadOnlyList<byte> FilterTypes);

/// <summary>
/// A deliberately small, strict PNG reader written for the tests from the specification, sharing no
/// code with the writer: it checks the signature, every chunk CRC (with a bit-at-a-time CRC, not the
/// writer's table), chunk order, IHDR fields, inflates the concatenated IDAT data and undoes all five
/// filter types. Only 8-bit greyscale and RGB, non-interlaced — what the writer produces.
/// </summary>
internal static class TestPngDecoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static DecodedPng Decode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Bad PNG signature.");
        }

        var chunkTypes = new List<string>();
        using var idat = new MemoryStream();
        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = -1;
        var offset = 8;
        var sawEnd = false;
        while (offset < png.Length)
        {
            if (sawEnd)
            {
                throw new InvalidDataException("Data after IEND.");
            }

            if (offset + 12 > png.Length)
            {
                throw new InvalidDataException("Truncated chunk header.");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (length < 0 || offset + 12L + length > png.Length)
            {
                throw new InvalidDataException($"Chunk length {length} runs past the end.");
            }

            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            var actualCrc = BitwiseCrc32(png.AsSpan(offset + 4, 4 + length));
            if (storedCrc != actualCrc)
            {
                throw new InvalidDataException($"CRC mismatch in {type}: stored {storedCrc:x8}, computed {actualCrc:x8}.");
            }

            if (chunkTypes.Count == 0 && type != "IHDR")
            {
                throw new InvalidDataException($"First chunk is {type}, not IHDR.");
            }

            if (type == "IDAT" && chunkTypes.Count > 0 && chunkTypes[^1] != "IDAT" && chunkTypes.Contains("IDAT"))
            {
                throw new InvalidDataException("IDAT chunks are not consecutive.");
            }

            chunkTypes.Add(type);
            switch (type)
            {
                case "IHDR":
                    if (length != 13)
                    {
                        throw new InvalidDataException("IHDR must have 13 bytes.");
                    }

                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[10] != 0 || data[11] != 0)
                    {
                        throw new InvalidDataException("Unknown compression or filter method.");
                    }

                    interlace = data[12];
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    if (length != 0)
                    {
                        throw new InvalidDataException("IEND must be empty.");
                    }

                    sawEnd = true;
                    break;
                default:
                    break;
            }

            offset += 12 + length;
        }

        if (!sawEnd)
        {
            throw new InvalidDataException("No IEND chunk.");
        }

        if (bitDepth != 8 || interlace != 0 || (colorType != 0 && colorType != 2))
        {
            throw new InvalidDataException($"Unsupported IHDR: depth {bitDepth}, colour type {colorType}, interlace {interlace}.");
        }

        var channels = colorType == 2 ? 3 : 1;
        var rowBytes = width * channels;
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var filtered = raw.ToArray();
        if (filtered.Length != (long)height * (rowBytes + 1))
        {
            throw new InvalidDataException($"Inflated {filtered.Length} bytes, expected {(long)height * (rowBytes + 1)}.");
        }

        var pixels = new byte[height * rowBytes];
        var filters = new byte[height];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (rowBytes + 1)];
            filters[y] = filter;
            var source = filtered.AsSpan((y * (rowBytes + 1)) + 1, rowBytes);
            var previous = y == 0 ? new byte[rowBytes] : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
            Unfilter(filter, source, previous, channels, pixels.AsSpan(y * rowBytes, rowBytes));
        }

        return new DecodedPng(width, height, bitDepth, colorType, interlace, pixels, chunkTypes, filters);
    }

    /// <summary>Reconstructs one scanline (PNG specification, filter method 0).</summary>
    public static void Unfilter(byte filter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> previous, int bpp, Span<byte> output)
    {
        for (var i = 0; i < source.Length; i++)
        {
            int left = i >= bpp ? output[i - bpp] : 0;
            int up = previous[i];
            int upLeft = i >= bpp ? previous[i - bpp] : 0;
            var predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"Unknown filter type {filter}."),
            };
            output[i] = unchecked((byte)(source[i] + predictor));
        }
    }

    /// <summary>CRC-32 one bit at a time (polynomial 0xEDB88320), independent of the library's table.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                var mask = 0u - (crc & 1u);
                crc = (crc >> 1) ^ (0xEDB88320u & mask);
            }
        }

        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        var estimate = a + b - c;
        var da = Math.Abs(estimate - a);
        var db = Math.Abs(estimate - b);
        var dc = Math.Abs(estimate - c);
        return da <= db && da <= dc ? a : db <= dc ? b : c;
    }
}
