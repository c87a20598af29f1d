namespace GenCluster.Imaging.Tests;

public class RgbCanvasTests
{
    private static readonly Rgb Ink = new(10, 20, 30);

    [Fact]
    public void Text_is_drawn_from_the_glyph_bitmaps_at_the_requested_scale()
    {
        var canvas = new RgbCanvas(40, 30, Rgb.White);

        canvas.DrawText("7", 3, 4, 2, Ink);

        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                var inGlyph = x >= 3 && y >= 4 && BitmapFont.IsInk('7', (x - 3) / 2, (y - 4) / 2);
                canvas[x, y].Should().Be(inGlyph ? Ink : Rgb.White, $"pixel ({x}, {y})");
            }
        }
    }

    [Fact]
    public void Rotated_text_is_the_horizontal_text_turned_a_quarter_counter_clockwise()
    {
        const string text = "Ag5";
        var width = BitmapFont.MeasureWidth(text, 1);
        var flat = new RgbCanvas(width, BitmapFont.CellHeight, Rgb.White);
        var turned = new RgbCanvas(BitmapFont.CellHeight, width, Rgb.White);

        flat.DrawText(text, 0, 0, 1, Ink);
        turned.DrawTextRotated(text, 0, 0, 1, Ink);

        for (var v = 0; v < BitmapFont.CellHeight; v++)
        {
            for (var u = 0; u < width; u++)
            {
                // Reading bottom to top: glyph tops face left.
                turned[v, width - 1 - u].Should().Be(flat[u, v], $"flat pixel ({u}, {v})");
            }
        }
    }

    [Fact]
    public void Drawing_off_the_canvas_is_clipped_silently()
    {
        var canvas = new RgbCanvas(5, 5, Rgb.White);

        canvas.DrawText("Hello", -100, 0, 3, Ink);
        canvas.DrawText("Hello", 100, 100, 3, Ink);
        canvas.DrawText("H", -6, 2, 2, Ink); // only the glyph's last column (x = 2..3) is on the canvas
        canvas.FillRect(-10, -10, 100, 2, Ink);

        canvas[0, 0].Should().Be(Ink);
        canvas[4, 1].Should().Be(Ink);
        canvas[2, 2].Should().Be(Ink);
        canvas[3, 4].Should().Be(Ink);
        canvas[0, 2].Should().Be(Rgb.White);
        canvas[4, 4].Should().Be(Rgb.White);
    }

    [Fact]
    public void Segment_coverage_is_full_on_the_line_zero_far_away_and_partial_at_the_edge()
    {
        var mask = new CoverageMask(20, 20, 0, 0, 19, 19);

        mask.AddSegment(2, 10.5, 18, 10.5, halfWidth: 1);

        mask[10, 10].Should().Be(1f);
        mask[10, 5].Should().Be(0f);
        mask[10, 9].Should().BeApproximately(0.5f, 1e-6f);  // pixel centre 1.0 from the line: 1 + 0.5 - 1
        mask[10, 11].Should().BeApproximately(0.5f, 1e-6f);
        mask[10, 12].Should().Be(0f);
    }

    [Fact]
    public void Overlapping_segments_do_not_accumulate_beyond_full_coverage()
    {
        var mask = new CoverageMask(20, 20, 0, 0, 19, 19);
        mask.AddSegment(2, 10.5, 10, 10.5, 0.5);
        mask.AddSegment(10, 10.5, 18, 10.5, 0.5);
        mask.AddSegment(10, 10.5, 10.2, 10.5, 0.5);

        var canvas = new RgbCanvas(20, 20, Rgb.White);
        canvas.Composite(mask, Ink);

        canvas[10, 10].Should().Be(Ink);
        canvas[9, 10].Should().Be(Ink);
    }

    [Fact]
    public void Coverage_respects_the_clip_rectangle()
    {
        var mask = new CoverageMask(20, 20, 5, 5, 14, 14);

        mask.AddSegment(0, 10.5, 20, 10.5, 2);

        mask[4, 10].Should().Be(0f);
        mask[5, 10].Should().Be(1f);
        mask[14, 10].Should().Be(1f);
        mask[15, 10].Should().Be(0f);
    }
}
