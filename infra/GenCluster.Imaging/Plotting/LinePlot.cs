namespace GenCluster.Imaging;

/// <summary>
/// A line chart of one or more named series — typically training losses ("D loss", "G loss")
/// against the step — rendered as SVG text or as a PNG raster drawn by this library.
/// </summary>
/// <remarks>
/// <para>Points whose x or y is NaN or ±infinity are skipped when the series is added; the curve
/// joins the finite points on either side of them (see <see cref="SkippedPointCount"/>). A series must
/// contain at least one finite point. A single-point series is drawn as a dot.</para>
/// <para>Axis ranges cover all series with a small margin; constant data gets a range around its value.
/// Ticks sit at 1, 2 or 5 times a power of ten. Series are coloured in the order they were added, and
/// named series appear in a legend in the top-right corner of the plot area.</para>
/// <para>The PNG text uses a built-in 5×7 pixel font that covers printable ASCII; other characters
/// are drawn as '?'. The SVG keeps the text as given (escaped).</para>
/// </remarks>
public sealed class LinePlot
{
    /// <summary>The smallest accepted width or height, in pixels.</summary>
    public const int MinimumSize = 100;

    private readonly List<PlotSeries> _series = [];
    private int _smoothingWindow = 1;
    private int _textScale = 2;
    private double _lineWidth = 2;

    /// <summary>Creates an empty plot of the given size in pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below <see cref="MinimumSize"/> or above 16384.</exception>
    public LinePlot(int width = 800, int height = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, MinimumSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, MinimumSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 16384);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 16384);
        Width = width;
        Height = height;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Title above the plot; null or blank for none.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis, e.g. "step"; null or blank for none.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label along the y axis, e.g. "loss"; null or blank for none.</summary>
    public string? YLabel { get; set; }

    /// <summary>
    /// Trailing moving-average window applied to every series' y values before drawing (over the finite
    /// points, in order): point i shows the mean of the last <c>SmoothingWindow</c> values up to i.
    /// 1 (the default) draws the raw values.
    /// </summary>
    public int SmoothingWindow
    {
        get => _smoothingWindow;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _smoothingWindow = value;
        }
    }

    /// <summary>Integer magnification of the 5×7 font (1 to 8, default 2); the title is one step larger when it fits.</summary>
    public int TextScale
    {
        get => _textScale;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 8);
            _textScale = value;
        }
    }

    /// <summary>Stroke width of the curves in pixels (0.5 to 20, default 2).</summary>
    public double LineWidth
    {
        get => _lineWidth;
        set
        {
            if (!(value >= 0.5 && value <= 20))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The line width must be between 0.5 and 20 pixels.");
            }

            _lineWidth = value;
        }
    }

    /// <summary>Number of series added.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>How many points with a NaN or infinite coordinate were skipped over all series.</summary>
    public int SkippedPointCount => _series.Sum(s => s.Skipped);

    internal IReadOnlyList<PlotSeries> SeriesList => _series;

    /// <summary>Adds a series with explicit x values (for example training steps). The values are copied.</summary>
    /// <param name="name">Legend text; an empty name keeps the series out of the legend.</param>
    /// <param name="x">X coordinates, same length as <paramref name="y"/>.</param>
    /// <param name="y">Y coordinates.</param>
    /// <returns>This plot, for chaining.</returns>
    /// <exception cref="ArgumentException">The series is empty, the lengths differ, or no point is finite.</exception>
    public LinePlot AddSeries(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        _series.Add(PlotSeries.Create(name, x, y));
        return this;
    }

    /// <summary>Adds a series whose x values are 0, 1, 2, … (the index). The values are copied.</summary>
    /// <inheritdoc cref="AddSeries(string, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public LinePlot AddSeries(string name, ReadOnlySpan<double> y)
    {
        var x = new double[y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i;
        }

        return AddSeries(name, x, y);
    }

    /// <summary>Renders the plot as a standalone SVG document (UTF-8 XML text with declaration).</summary>
    /// <exception cref="InvalidOperationException">No series was added, or the plot is too small for its text.</exception>
    public string ToSvg() => SvgPlotWriter.Write(PlotLayout.Compute(this));

    /// <summary>Writes <see cref="ToSvg"/> to a UTF-8 file (no byte order mark).</summary>
    public void SaveSvg(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToSvg());
    }

    /// <summary>Rasterises the plot into an RGB image of <see cref="Width"/> × <see cref="Height"/>.</summary>
    /// <exception cref="InvalidOperationException">No series was added, or the plot is too small for its text.</exception>
    public RgbImage Render() => PlotRasterizer.Render(PlotLayout.Compute(this));

    /// <summary>Rasterises the plot and writes it as PNG to <paramref name="destination"/> (which stays open).</summary>
    public void WritePng(Stream destination) => PngWriter.Write(destination, Render());

    /// <summary>Rasterises the plot and writes it as a PNG file.</summary>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PngWriter.Save(path, Render());
    }
}
