namespace GenCluster.Imaging;

/// <summary>
/// Draws a <see cref="PlotLayout"/> into an RGB raster: white background, light grid, anti-aliased
/// curves clipped to the plot area, a crisp one-pixel frame with outward ticks, bitmap-font text
/// and the legend.
/// </summary>
internal static class PlotRasterizer
{
    private static readonly Rgb FrameColor = Rgb.FromHex("#333333");
    private static readonly Rgb GridColor = Rgb.FromHex("#e6e6e6");
    private static readonly Rgb TextColor = Rgb.FromHex("#222222");
    private static readonly Rgb LegendBorder = Rgb.FromHex("#bbbbbb");

    public static RgbImage Render(PlotLayout layout)
    {
        var canvas = new RgbCanvas(layout.Width, layout.Height, Rgb.White);

        foreach (var v in layout.XTicks.Values)
        {
            canvas.VerticalLine(layout.ColumnOf(v), layout.Top, layout.Bottom, GridColor);
        }

        foreach (var v in layout.YTicks.Values)
        {
            canvas.HorizontalLine(layout.Left, layout.Right, layout.RowOf(v), GridColor);
        }

        var mask = new CoverageMask(layout.Width, layout.Height, layout.Left + 1, layout.Top + 1, layout.Right - 1, layout.Bottom - 1);
        var halfWidth = layout.LineWidth / 2;
        foreach (var series in layout.Series)
        {
            mask.Clear();
            if (series.Count == 1)
            {
                mask.AddDisc(layout.MapX(series.X[0]), layout.MapY(series.Y[0]), Math.Max(3, layout.LineWidth * 1.5));
            }
            else
            {
                var px = layout.MapX(series.X[0]);
                var py = layout.MapY(series.Y[0]);
                for (var i = 1; i < series.Count; i++)
                {
                    var x = layout.MapX(series.X[i]);
                    var y = layout.MapY(series.Y[i]);
                    mask.AddSegment(px, py, x, y, halfWidth);
                    px = x;
                    py = y;
                }
            }

            canvas.Composite(mask, series.Color);
        }

        canvas.HorizontalLine(layout.Left, layout.Right, layout.Top, FrameColor);
        canvas.HorizontalLine(layout.Left, layout.Right, layout.Bottom, FrameColor);
        canvas.VerticalLine(layout.Left, layout.Top, layout.Bottom, FrameColor);
        canvas.VerticalLine(layout.Right, layout.Top, layout.Bottom, FrameColor);
        foreach (var v in layout.XTicks.Values)
        {
            canvas.VerticalLine(layout.ColumnOf(v), layout.Bottom, layout.Bottom + PlotLayout.TickLength, FrameColor);
        }

        foreach (var v in layout.YTicks.Values)
        {
            canvas.HorizontalLine(layout.Left - PlotLayout.TickLength, layout.Left, layout.RowOf(v), FrameColor);
        }

        foreach (var text in layout.Texts)
        {
            DrawText(canvas, text, TextColor);
        }

        if (layout.Legend is { } legend)
        {
            canvas.FillRect(legend.Left, legend.Top, legend.Right, legend.Bottom, Rgb.White, 0.85f);
            canvas.HorizontalLine(legend.Left, legend.Right - 1, legend.Top, LegendBorder);
            canvas.HorizontalLine(legend.Left, legend.Right - 1, legend.Bottom - 1, LegendBorder);
            canvas.VerticalLine(legend.Left, legend.Top, legend.Bottom - 1, LegendBorder);
            canvas.VerticalLine(legend.Right - 1, legend.Top, legend.Bottom - 1, LegendBorder);
            var swatchMask = new CoverageMask(layout.Width, layout.Height, legend.Left + 1, legend.Top + 1, legend.Right - 2, legend.Bottom - 2);
            foreach (var entry in legend.Entries)
            {
                swatchMask.Clear();
                swatchMask.AddSegment(entry.SwatchLeft, entry.SwatchY, entry.SwatchRight, entry.SwatchY, Math.Max(1, halfWidth));
                canvas.Composite(swatchMask, entry.Color);
                DrawText(canvas, entry.Label, TextColor);
            }
        }

        return canvas.ToImage();
    }

    private static void DrawText(RgbCanvas canvas, PlotText text, Rgb color)
    {
        var width = BitmapFont.MeasureWidth(text.Text, text.Scale);
        var top = (int)Math.Round(text.Top);
        if (text.Vertical)
        {
            // X is the left edge of the rotated box; Top is its vertical centre.
            canvas.DrawTextRotated(text.Text, (int)Math.Round(text.X), (int)Math.Round(text.Top - (width / 2.0)), text.Scale, color);
            return;
        }

        var left = text.Anchor switch
        {
            TextAnchor.Start => text.X,
            TextAnchor.End => text.X - width,
            _ => text.X - (width / 2.0),
        };
        var x = (int)Math.Round(left);
        x = Math.Clamp(x, 0, Math.Max(0, canvas.Width - width));
        canvas.DrawText(text.Text, x, top, text.Scale, color);
    }
}
