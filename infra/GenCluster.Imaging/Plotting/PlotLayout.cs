namespace GenCluster.Imaging;

/// <summary>
/// Everything about a plot that both renderers share: the plot rectangle, axis ranges and ticks,
/// the prepared (smoothed) series with their colours, text positions and the legend box.
/// Coordinates are continuous pixels: pixel (i, j) covers [i, i+1) × [j, j+1), so a one-pixel
/// line through column <c>c</c> is drawn at <c>c + 0.5</c>.
/// </summary>
internal sealed class PlotLayout
{
    /// <summary>Length of tick marks outside the frame, in pixels.</summary>
    public const int TickLength = 5;

    private const double AxisMargin = 0.03;

    private PlotLayout()
    {
    }

    public int Width { get; private init; }

    public int Height { get; private init; }

    public int TextScale { get; private init; }

    public double LineWidth { get; private init; }

    /// <summary>Column of the left frame line.</summary>
    public int Left { get; private init; }

    /// <summary>Row of the top frame line.</summary>
    public int Top { get; private init; }

    /// <summary>Column of the right frame line.</summary>
    public int Right { get; private init; }

    /// <summary>Row of the bottom frame line (the x axis).</summary>
    public int Bottom { get; private init; }

    public AxisTicks XTicks { get; private init; } = null!;

    public AxisTicks YTicks { get; private init; } = null!;

    public IReadOnlyList<PreparedSeries> Series { get; private init; } = [];

    /// <summary>Title, axis labels and tick labels.</summary>
    public IReadOnlyList<PlotText> Texts { get; private init; } = [];

    /// <summary>The legend, or null when no series has a name.</summary>
    public LegendBox? Legend { get; private set; }

    public string? Title { get; private init; }

    /// <summary>Pixel x of a data x value.</summary>
    public double MapX(double x) => Left + 0.5 + ((x - XTicks.Min) / (XTicks.Max - XTicks.Min) * (Right - Left));

    /// <summary>Pixel y of a data y value (up is smaller y).</summary>
    public double MapY(double y) => Bottom + 0.5 - ((y - YTicks.Min) / (YTicks.Max - YTicks.Min) * (Bottom - Top));

    /// <summary>Pixel column of the tick for data x value <paramref name="x"/>.</summary>
    public int ColumnOf(double x) => (int)Math.Floor(MapX(x));

    /// <summary>Pixel row of the tick for data y value <paramref name="y"/>.</summary>
    public int RowOf(double y) => (int)Math.Floor(MapY(y));

    public static PlotLayout Compute(LinePlot plot)
    {
        if (plot.SeriesList.Count == 0)
        {
            throw new InvalidOperationException("The plot has no series; call AddSeries before rendering.");
        }

        var s = plot.TextScale;
        var pad = 4 * s;
        var gap = 2 * s;
        var textHeight = BitmapFont.CapHeight * s;

        var series = new PreparedSeries[plot.SeriesList.Count];
        for (var i = 0; i < series.Length; i++)
        {
            var source = plot.SeriesList[i];
            var y = plot.SmoothingWindow > 1 ? MovingAverage.Trailing(source.Y, plot.SmoothingWindow) : source.Y;
            series[i] = new PreparedSeries(source.Name, SeriesPalette.ColorOf(i), source.X, y, source.Skipped);
        }

        var (xMin, xMax) = Extent(series, p => p.X);
        var (yMin, yMax) = Extent(series, p => p.Y);

        var texts = new List<PlotText>();
        var hasTitle = !string.IsNullOrWhiteSpace(plot.Title);
        var titleScale = s;
        if (hasTitle && BitmapFont.MeasureWidth(plot.Title!, s + 1) <= plot.Width - (2 * pad))
        {
            titleScale = s + 1;
        }

        var top = hasTitle ? pad + (BitmapFont.CapHeight * titleScale) + (2 * pad) : pad + textHeight;
        var hasXLabel = !string.IsNullOrWhiteSpace(plot.XLabel);
        var hasYLabel = !string.IsNullOrWhiteSpace(plot.YLabel);
        var bottomMargin = TickLength + gap + textHeight + pad + (hasXLabel ? textHeight + pad : 0);
        var bottom = plot.Height - 1 - bottomMargin;
        RequireRoom(bottom - top, "height");

        var yTicks = AxisTicks.Compute(yMin, yMax, Math.Clamp((bottom - top) / (4 * textHeight), 2, 8), AxisMargin);
        var yLabelWidth = yTicks.Labels.Count == 0 ? 0 : yTicks.Labels.Max(l => BitmapFont.MeasureWidth(l, s));
        var left = pad + (hasYLabel ? textHeight + (2 * pad) : 0) + yLabelWidth + gap + TickLength;

        var rightMargin = pad + (3 * BitmapFont.Advance * s);
        AxisTicks xTicks;
        int right;
        while (true)
        {
            right = plot.Width - 1 - rightMargin;
            RequireRoom(right - left, "width");
            xTicks = FittingXTicks(xMin, xMax, right - left, s);
            var widest = xTicks.Labels.Count == 0 ? 0 : xTicks.Labels.Max(l => BitmapFont.MeasureWidth(l, s));
            var needed = pad + ((widest + 1) / 2);
            if (needed <= rightMargin)
            {
                break;
            }

            rightMargin = needed;
        }

        var layout = new PlotLayout
        {
            Width = plot.Width,
            Height = plot.Height,
            TextScale = s,
            LineWidth = plot.LineWidth,
            Left = left,
            Top = top,
            Right = right,
            Bottom = bottom,
            XTicks = xTicks,
            YTicks = yTicks,
            Series = series,
            Title = hasTitle ? plot.Title : null,
            Texts = texts,
        };

        for (var i = 0; i < yTicks.Values.Count; i++)
        {
            var row = layout.RowOf(yTicks.Values[i]);
            texts.Add(new PlotText(yTicks.Labels[i], left - TickLength - gap, row - ((textHeight - 1) / 2.0), TextAnchor.End, s));
        }

        for (var i = 0; i < xTicks.Values.Count; i++)
        {
            var column = layout.ColumnOf(xTicks.Values[i]);
            texts.Add(new PlotText(xTicks.Labels[i], column + 0.5, bottom + TickLength + gap + 1, TextAnchor.Middle, s));
        }

        if (hasXLabel)
        {
            texts.Add(new PlotText(plot.XLabel!, (left + right + 1) / 2.0, plot.Height - pad - textHeight, TextAnchor.Middle, s));
        }

        if (hasYLabel)
        {
            texts.Add(new PlotText(plot.YLabel!, pad, (top + bottom + 1) / 2.0, TextAnchor.Middle, s, Vertical: true));
        }

        if (hasTitle)
        {
            texts.Add(new PlotText(plot.Title!, plot.Width / 2.0, pad, TextAnchor.Middle, titleScale));
        }

        layout.Legend = LegendBox.Compute(layout);
        return layout;
    }

    private static AxisTicks FittingXTicks(double xMin, double xMax, int plotWidth, int scale)
    {
        var gap = 3 * BitmapFont.Advance * scale;
        for (var target = Math.Clamp(plotWidth / 100, 2, 10); ; target--)
        {
            var ticks = AxisTicks.Compute(xMin, xMax, Math.Max(1, target), AxisMargin);
            var widest = ticks.Labels.Count == 0 ? 0 : ticks.Labels.Max(l => BitmapFont.MeasureWidth(l, scale));
            var spacing = ticks.Step / (ticks.Max - ticks.Min) * plotWidth;
            if (widest + gap <= spacing || target <= 1)
            {
                return ticks;
            }
        }
    }

    private static (double Min, double Max) Extent(PreparedSeries[] series, Func<PreparedSeries, double[]> values)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var p in series)
        {
            foreach (var v in values(p))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return (min, max);
    }

    private static void RequireRoom(int pixels, string dimension)
    {
        if (pixels < 20)
        {
            throw new InvalidOperationException(
                $"The plot {dimension} leaves only {pixels} pixels for data after titles, labels and ticks; make the plot larger or the text scale smaller.");
        }
    }
}
