namespace GenCluster.Imaging;

/// <summary>
/// The legend in the plot's top-right corner: one row per named series with a colour swatch.
/// All coordinates are pixel edges (the box covers columns [Left, Right) and rows [Top, Bottom)).
/// </summary>
internal sealed class LegendBox
{
    private LegendBox(int left, int top, int right, int bottom, IReadOnlyList<LegendEntry> entries)
    {
        Left = left;
        Top = top;
        Right = right;
        Bottom = bottom;
        Entries = entries;
    }

    public int Left { get; }

    public int Top { get; }

    public int Right { get; }

    public int Bottom { get; }

    public IReadOnlyList<LegendEntry> Entries { get; }

    /// <summary>
    /// Lays out the legend for the series that have a name (null if none has), in whichever corner of
    /// the plot area the curves cross least — top-right unless another corner is emptier.
    /// </summary>
    public static LegendBox? Compute(PlotLayout layout)
    {
        var named = layout.Series.Where(p => !string.IsNullOrWhiteSpace(p.Name)).ToList();
        if (named.Count == 0)
        {
            return null;
        }

        var scale = layout.TextScale;
        var inset = 4 * scale;
        var padding = 3 * scale;
        var swatch = 8 * scale;
        var gap = 3 * scale;
        var rowHeight = (BitmapFont.CapHeight + 4) * scale;
        var textWidth = named.Max(p => BitmapFont.MeasureWidth(p.Name, scale));
        var width = padding + swatch + gap + textWidth + padding;
        var height = (2 * padding) + (named.Count * rowHeight) - (4 * scale) + scale;

        // Candidate corners in order of preference: top-right, top-left, bottom-right, bottom-left.
        var rightLeft = Math.Max(layout.Left + inset, layout.Right - inset - width);
        var leftLeft = layout.Left + inset + 1;
        var topTop = layout.Top + inset + 1;
        var bottomTop = Math.Max(topTop, layout.Bottom - inset - height);
        (int Left, int Top)[] corners = [(rightLeft, topTop), (leftLeft, topTop), (rightLeft, bottomTop), (leftLeft, bottomTop)];
        var best = corners[0];
        var bestHits = long.MaxValue;
        foreach (var corner in corners)
        {
            var hits = CountCurveSamples(layout, corner.Left - inset, corner.Top - inset, corner.Left + width + inset, corner.Top + height + inset);
            if (hits < bestHits)
            {
                bestHits = hits;
                best = corner;
            }
        }

        var (left, top) = best;
        var entries = new List<LegendEntry>(named.Count);
        for (var i = 0; i < named.Count; i++)
        {
            var textTop = top + padding + (i * rowHeight);
            var swatchY = textTop + ((BitmapFont.CapHeight * scale) / 2.0);
            entries.Add(new LegendEntry(
                named[i].Name,
                named[i].Color,
                left + padding,
                left + padding + swatch,
                swatchY,
                new PlotText(named[i].Name, left + padding + swatch + gap, textTop, TextAnchor.Start, scale)));
        }

        return new LegendBox(left, top, Math.Min(layout.Right, left + width), top + height, entries);
    }

    /// <summary>Samples every curve about every 2 pixels along its length and counts samples inside the rectangle.</summary>
    private static long CountCurveSamples(PlotLayout layout, double left, double top, double right, double bottom)
    {
        long hits = 0;
        foreach (var series in layout.Series)
        {
            var px = layout.MapX(series.X[0]);
            var py = layout.MapY(series.Y[0]);
            hits += Inside(px, py) ? 1 : 0;
            for (var i = 1; i < series.Count; i++)
            {
                var x = layout.MapX(series.X[i]);
                var y = layout.MapY(series.Y[i]);
                var steps = (int)Math.Min(4096, Math.Ceiling(Math.Max(Math.Abs(x - px), Math.Abs(y - py)) / 2));
                for (var k = 1; k <= steps; k++)
                {
                    var t = (double)k / steps;
                    hits += Inside(px + ((x - px) * t), py + ((y - py) * t)) ? 1 : 0;
                }

                px = x;
                py = y;
            }
        }

        return hits;

        bool Inside(double x, double y) => x >= left && x <= right && y >= top && y <= bottom;
    }
}
