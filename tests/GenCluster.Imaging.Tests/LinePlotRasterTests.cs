namespace GenCluster.Imaging.Tests;

public class LinePlotRasterTests
{
    private static readonly (byte R, byte G, byte B) Blue = (0x1f, 0x77, 0xb4);
    private static readonly (byte R, byte G, byte B) Orange = (0xff, 0x7f, 0x0e);

    private static int Count(RgbImage image, (byte R, byte G, byte B) color)
    {
        var n = 0;
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            if (image.Pixels[i] == color.R && image.Pixels[i + 1] == color.G && image.Pixels[i + 2] == color.B)
            {
                n++;
            }
        }

        return n;
    }

    [Fact]
    public void Png_has_the_plot_size_and_decodes_to_the_rendered_pixels()
    {
        var plot = new LinePlot(640, 360) { Title = "loss" };
        plot.AddSeries("D loss", [0, 1, 2, 3], [1.0, 0.9, 0.85, 0.8]);
        using var stream = new MemoryStream();

        plot.WritePng(stream);
        var decoded = TestPngDecoder.Decode(stream.ToArray());

        decoded.Width.Should().Be(640);
        decoded.Height.Should().Be(360);
        decoded.ColorType.Should().Be(2);
        decoded.Pixels.Should().Equal(plot.Render().Pixels);
    }

    [Fact]
    public void Curves_are_drawn_in_their_colours_at_the_mapped_positions()
    {
        var plot = new LinePlot();
        plot.AddSeries("low", [0, 10], [1.0, 1.0]).AddSeries("high", [0, 10], [3.0, 3.0]);
        var layout = PlotLayout.Compute(plot);

        var image = plot.Render();

        var x = (int)layout.MapX(5);
        image.GetPixel(x, (int)layout.MapY(1.0)).Should().Be(Blue);
        image.GetPixel(x, (int)layout.MapY(3.0)).Should().Be(Orange);
        image.GetPixel(x, (int)layout.MapY(2.0)).Should().NotBe(Blue).And.NotBe(Orange);
        // The line spans 94% of the plot width (3% margins) and is at least one pixel fully covered.
        Count(image, Blue).Should().BeGreaterThan((int)(0.9 * (layout.Right - layout.Left)));
    }

    [Fact]
    public void Lines_are_anti_aliased_with_intermediate_shades()
    {
        var plot = new LinePlot();
        plot.AddSeries("diag", [0, 1], [0, 1]);
        var layout = PlotLayout.Compute(plot);

        var image = plot.Render();

        var x = (int)layout.MapX(0.5);
        var column = Enumerable.Range(layout.Top + 1, layout.Bottom - layout.Top - 1).Select(y => image.GetPixel(x, y)).ToList();
        column.Should().Contain(Blue);
        var blended = column.Count(p => !p.Equals(Blue) && !p.Equals(((byte)255, (byte)255, (byte)255)) && p.B > p.R);
        blended.Should().BeGreaterThan(0, "edges blend blue into the background");
    }

    [Fact]
    public void Frame_ticks_and_text_are_dark_and_the_title_is_above_the_frame()
    {
        var plot = new LinePlot { Title = "TITLE" };
        plot.AddSeries("s", [0, 1, 2], [3, 1, 2]);
        var layout = PlotLayout.Compute(plot);

        var image = plot.Render();

        image.GetPixel(layout.Left, (layout.Top + layout.Bottom) / 2).Should().Be(((byte)0x33, (byte)0x33, (byte)0x33));
        image.GetPixel((layout.Left + layout.Right) / 2, layout.Bottom).Should().Be(((byte)0x33, (byte)0x33, (byte)0x33));
        var titleInk = 0;
        for (var y = 0; y < layout.Top; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                titleInk += image.GetPixel(x, y) == ((byte)0x22, (byte)0x22, (byte)0x22) ? 1 : 0;
            }
        }

        // Five capitals drawn at scale 3 leave far more ink than this.
        titleInk.Should().BeGreaterThan(5 * 9 * 3);
    }

    [Fact]
    public void Text_uses_the_bitmap_font_at_the_layout_positions()
    {
        var plot = new LinePlot { TextScale = 1 };
        plot.AddSeries("s", [0, 10], [0, 10]);
        var layout = PlotLayout.Compute(plot);
        var label = layout.Texts.First(t => t.Text == "0" && t.Anchor == TextAnchor.Middle);

        var image = plot.Render();

        var left = (int)Math.Round(label.X - 2.5);
        var top = (int)Math.Round(label.Top);
        for (var row = 0; row < BitmapFont.CapHeight; row++)
        {
            for (var column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                var ink = image.GetPixel(left + column, top + row) == ((byte)0x22, (byte)0x22, (byte)0x22);
                ink.Should().Be(BitmapFont.IsInk('0', column, row), $"glyph pixel ({column}, {row})");
            }
        }
    }

    [Fact]
    public void Legend_moves_away_from_the_data()
    {
        var rising = new LinePlot();
        rising.AddSeries("rising", [0, 1], [0, 1]);
        var falling = new LinePlot();
        falling.AddSeries("falling", [0, 1], [1, 0]);

        var risingLayout = PlotLayout.Compute(rising);
        var fallingLayout = PlotLayout.Compute(falling);

        // A rising line fills the top-right corner, so the legend goes top-left; a falling one leaves top-right free.
        risingLayout.Legend!.Left.Should().BeLessThan((risingLayout.Left + risingLayout.Right) / 2);
        fallingLayout.Legend!.Right.Should().BeGreaterThan((fallingLayout.Left + fallingLayout.Right) / 2);
        risingLayout.Legend.Top.Should().BeLessThan((risingLayout.Top + risingLayout.Bottom) / 2);
    }

    [Fact]
    public void Unnamed_series_leave_out_the_legend()
    {
        var plot = new LinePlot();
        plot.AddSeries("", [1.0, 2.0]);

        PlotLayout.Compute(plot).Legend.Should().BeNull();
    }

    [Fact]
    public void Thousands_of_noisy_points_render()
    {
        var rng = new Random(1);
        var y = Enumerable.Range(0, 20_000).Select(i => Math.Exp(-i / 5000.0) + rng.NextDouble()).ToArray();
        var plot = new LinePlot();
        plot.AddSeries("noisy", y);

        var image = plot.Render();

        Count(image, Blue).Should().BeGreaterThan(10_000);
    }

    [Fact]
    public void Single_point_and_constant_series_render_without_error()
    {
        var plot = new LinePlot(300, 200) { TextScale = 1 };
        plot.AddSeries("dot", [3.0], [-2.0]).AddSeries("flat", [0, 6], [-2, -2]);

        var image = plot.Render();

        Count(image, Blue).Should().BeGreaterThan(10);
        Count(image, Orange).Should().BeGreaterThan(100);
    }

    [Fact]
    public void Save_png_writes_a_file_of_the_plot_size()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gencluster-plot-{Guid.NewGuid():N}.png");
        var plot = new LinePlot(400, 300);
        plot.AddSeries("a", [1.0, 3.0, 2.0]);
        try
        {
            plot.SavePng(path);

            var decoded = TestPngDecoder.Decode(File.ReadAllBytes(path));
            (decoded.Width, decoded.Height).Should().Be((400, 300));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
