namespace GenCluster.Imaging.Tests;

/// <summary>Cross-checks the encoder with png_peer.py, a decoder on Python's own zlib and CRC.</summary>
public class PngPythonPeerTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(31, 17)]
    [InlineData(200, 120)]
    public void Python_decodes_grayscale_to_the_same_pixels(int width, int height)
    {
        var pixels = TestImages.Gradient(width, height, 1);

        var report = PythonPngPeer.Decode(PngWriter.Encode(pixels, width, height, PngColorType.Grayscale));

        report.Width.Should().Be(width);
        report.Height.Should().Be(height);
        report.BitDepth.Should().Be(8);
        report.ColorType.Should().Be(0);
        report.Sha256.Should().Be(PythonPngPeer.Sha256Hex(pixels));
    }

    [Fact]
    public void Python_decodes_rgb_with_every_filter_type_to_the_same_pixels()
    {
        // Gradients, a noisy band and random rows give the heuristic reasons to pick different filters.
        const int width = 90, height = 60;
        var pixels = TestImages.Gradient(width, height, 3);
        TestImages.Random(width * 3 * 5, 1).CopyTo(pixels, width * 3 * 50);

        var png = PngWriter.Encode(pixels, width, height, PngColorType.Rgb);
        var report = PythonPngPeer.Decode(png);

        report.ColorType.Should().Be(2);
        report.Sha256.Should().Be(PythonPngPeer.Sha256Hex(pixels));
        report.Filters.Should().Contain(f => f != 0, "the adaptive filter should use more than filter type None");
        TestPngDecoder.Decode(png).FilterTypes.Distinct().Order().Select(f => (int)f).Should().Equal(report.Filters);
    }

    [Fact]
    public void Python_accepts_many_small_IDAT_chunks()
    {
        var pixels = TestImages.Random(50 * 40, 4);
        using var stream = new MemoryStream();
        PngWriter.Write(stream, pixels, 50, 40, PngColorType.Grayscale, maxIdatLength: 97, System.IO.Compression.CompressionLevel.Optimal);

        var report = PythonPngPeer.Decode(stream.ToArray());

        report.Chunks.Count(c => c == "IDAT").Should().BeGreaterThan(5);
        report.Sha256.Should().Be(PythonPngPeer.Sha256Hex(pixels));
    }

    [Fact]
    public void Python_decodes_a_rendered_plot_and_an_image_grid()
    {
        var plot = new LinePlot(320, 200) { Title = "loss" };
        plot.AddSeries("D", [0, 1, 2, 3], [1.0, 0.8, 0.7, 0.65]);
        var image = plot.Render();
        var plotReport = PythonPngPeer.Decode(image.ToPng());

        var grid = ImageGrid.Build(new float[9 * 4 * 4], 9, 4, 4);
        var gridReport = PythonPngPeer.Decode(grid.ToPng());

        plotReport.Width.Should().Be(320);
        plotReport.Height.Should().Be(200);
        plotReport.Sha256.Should().Be(PythonPngPeer.Sha256Hex(image.Pixels));
        gridReport.Width.Should().Be(3 * 6 + 2);
        gridReport.Sha256.Should().Be(PythonPngPeer.Sha256Hex(grid.Pixels));
    }

    [Fact]
    public void Python_rejects_a_corrupted_file_so_the_peer_is_not_vacuous()
    {
        var png = PngWriter.Encode(TestImages.Random(100, 2), 10, 10, PngColorType.Grayscale);
        png[45] ^= 0x01; // inside IDAT data: its CRC no longer matches

        var act = () => PythonPngPeer.Decode(png);

        act.Should().Throw<InvalidOperationException>().WithMessage("*crc mismatch*");
    }
}
