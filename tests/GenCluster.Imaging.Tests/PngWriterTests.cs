using System.Buffers.Binary;
using System.IO.Compression;

namespace GenCluster.Imaging.Tests;

public class PngWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(17, 13)]
    [InlineData(256, 5)]
    [InlineData(1, 300)]
    public void Grayscale_pixels_round_trip(int width, int height)
    {
        var pixels = TestImages.Random(width * height, width + height);

        var decoded = TestPngDecoder.Decode(PngWriter.Encode(pixels, width, height, PngColorType.Grayscale));

        decoded.Width.Should().Be(width);
        decoded.Height.Should().Be(height);
        decoded.BitDepth.Should().Be(8);
        decoded.ColorType.Should().Be(0);
        decoded.Pixels.Should().Equal(pixels);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 4)]
    [InlineData(64, 48)]
    public void Rgb_pixels_round_trip(int width, int height)
    {
        var pixels = TestImages.Gradient(width, height, 3);

        var decoded = TestPngDecoder.Decode(PngWriter.Encode(pixels, width, height, PngColorType.Rgb));

        decoded.ColorType.Should().Be(2);
        decoded.Width.Should().Be(width);
        decoded.Height.Should().Be(height);
        decoded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void File_layout_is_signature_IHDR_IDAT_IEND_with_exact_header_fields()
    {
        var png = PngWriter.Encode(new byte[300 * 2 * 3], 300, 2, PngColorType.Rgb);

        png.AsSpan(0, 8).ToArray().Should().Equal(137, 80, 78, 71, 13, 10, 26, 10);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)).Should().Be(13);
        png.AsSpan(12, 4).ToArray().Should().Equal("IHDR"u8.ToArray());
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).Should().Be(300);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).Should().Be(2);
        png.AsSpan(24, 5).ToArray().Should().Equal(8, 2, 0, 0, 0);
        png.AsSpan(png.Length - 12).ToArray().Should().Equal(0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82);

        TestPngDecoder.Decode(png).ChunkTypes.Should().Equal("IHDR", "IDAT", "IEND");
    }

    [Fact]
    public void Large_compressed_stream_is_split_into_several_IDAT_chunks()
    {
        var pixels = TestImages.Random(64 * 64 * 3, 11);
        using var stream = new MemoryStream();

        PngWriter.Write(stream, pixels, 64, 64, PngColorType.Rgb, maxIdatLength: 1000, CompressionLevel.Fastest);

        var decoded = TestPngDecoder.Decode(stream.ToArray());
        decoded.ChunkTypes.Count(t => t == "IDAT").Should().BeGreaterThan(10);
        decoded.ChunkTypes[0].Should().Be("IHDR");
        decoded.ChunkTypes[^1].Should().Be("IEND");
        decoded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Big_rgb_image_round_trips_with_default_chunking()
    {
        var pixels = TestImages.Random(1000 * 700 * 3, 5);

        var decoded = TestPngDecoder.Decode(PngWriter.Encode(pixels, 1000, 700, PngColorType.Rgb));

        decoded.ChunkTypes.Count(t => t == "IDAT").Should().BeGreaterThan(1);
        decoded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Repeated_rows_are_encoded_with_the_Up_filter()
    {
        const int width = 40;
        var row = TestImages.Random(width, 9);
        var pixels = Enumerable.Range(0, 6).SelectMany(_ => row).ToArray();

        var decoded = TestPngDecoder.Decode(PngWriter.Encode(pixels, width, 6, PngColorType.Grayscale));

        decoded.FilterTypes.Skip(1).Should().OnlyContain(f => f == 2);
        decoded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Horizontal_ramp_first_row_uses_the_Sub_filter()
    {
        var pixels = Enumerable.Range(0, 100).Select(i => (byte)(i * 2)).ToArray();

        var decoded = TestPngDecoder.Decode(PngWriter.Encode(pixels, 100, 1, PngColorType.Grayscale));

        decoded.FilterTypes.Should().Equal((byte)1);
        decoded.Pixels.Should().Equal(pixels);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    public void Every_filter_type_is_undone_by_the_independent_reconstruction(byte type, int bpp)
    {
        var previous = TestImages.Random(30, 21);
        var row = TestImages.Random(30, 22);
        var filtered = new byte[30];
        ScanlineFilter.Apply(type, row, previous, bpp, filtered);

        var restored = new byte[30];
        TestPngDecoder.Unfilter(type, filtered, previous, bpp, restored);

        restored.Should().Equal(row);
    }

    [Theory]
    [InlineData(10, 20, 5, 20)]
    [InlineData(10, 20, 30, 10)]
    [InlineData(10, 20, 10, 20)]
    [InlineData(20, 10, 10, 20)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(255, 0, 255, 0)]
    public void Paeth_predictor_matches_the_specification(int a, int b, int c, int expected)
    {
        ScanlineFilter.PaethPredictor(a, b, c).Should().Be(expected);
    }

    [Fact]
    public void Writing_leaves_the_destination_stream_open()
    {
        using var stream = new MemoryStream();
        PngWriter.Write(stream, new GrayImage(2, 2, 7));

        stream.CanWrite.Should().BeTrue();
        TestPngDecoder.Decode(stream.ToArray()).Pixels.Should().Equal(7, 7, 7, 7);
    }

    [Fact]
    public void Save_writes_a_decodable_file_and_replaces_an_existing_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gencluster-png-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllText(path, "old content that is longer than the image will be, by a good margin indeed........................................");
            var image = new RgbImage(3, 1, [255, 0, 0, 0, 255, 0, 0, 0, 255]);

            image.SavePng(path);

            var decoded = TestPngDecoder.Decode(File.ReadAllBytes(path));
            decoded.Pixels.Should().Equal(image.Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(1, 0, 0)]
    [InlineData(-3, 2, 0)]
    public void Non_positive_sizes_are_rejected(int width, int height, int length)
    {
        var act = () => PngWriter.Encode(new byte[length], width, height, PngColorType.Grayscale);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1 pixel*");
    }

    [Theory]
    [InlineData(PngColorType.Grayscale, 11)]
    [InlineData(PngColorType.Grayscale, 13)]
    [InlineData(PngColorType.Rgb, 12)]
    [InlineData(PngColorType.Rgb, 37)]
    public void Wrong_buffer_length_is_rejected_with_the_expected_length_in_the_message(PngColorType colorType, int length)
    {
        var expected = colorType == PngColorType.Rgb ? 36 : 12;

        var act = () => PngWriter.Encode(new byte[length], 4, 3, colorType);

        act.Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "pixels")
            .WithMessage($"*{length} bytes*{expected}*");
    }

    [Fact]
    public void Unknown_colour_type_is_rejected()
    {
        var act = () => PngWriter.Encode(new byte[4], 2, 2, (PngColorType)6);

        act.Should().Throw<ArgumentException>().WithMessage("*colour type 6*");
    }

    [Fact]
    public void Null_or_read_only_destination_is_rejected()
    {
        var nullStream = () => PngWriter.Write(null!, new byte[1], 1, 1, PngColorType.Grayscale);
        using var readOnly = new MemoryStream(new byte[10], writable: false);
        var readOnlyStream = () => PngWriter.Write(readOnly, new byte[1], 1, 1, PngColorType.Grayscale);

        nullStream.Should().Throw<ArgumentNullException>();
        readOnlyStream.Should().Throw<ArgumentException>().WithMessage("*not writable*");
    }

    [Fact]
    public void Save_with_a_bad_buffer_does_not_create_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gencluster-png-{Guid.NewGuid():N}.png");

        var act = () => PngWriter.Save(path, new byte[5], 2, 2, PngColorType.Grayscale);

        act.Should().Throw<ArgumentException>();
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Image_types_validate_their_buffers()
    {
        var gray = () => new GrayImage(3, 3, new byte[8]);
        var rgb = () => new RgbImage(2, 2, new byte[4]);
        var zero = () => new GrayImage(0, 3);

        gray.Should().Throw<ArgumentException>().WithMessage("*8 bytes*9*");
        rgb.Should().Throw<ArgumentException>().WithMessage("*4 bytes*12*");
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }
}
