namespace GenCluster.Imaging;

/// <summary>One named curve as added to a <see cref="LinePlot"/>: the finite points only, in the order given.</summary>
internal sealed class PlotSeries
{
    public PlotSeries(string name, double[] x, double[] y, int skipped)
    {
        Name = name;
        X = x;
        Y = y;
        Skipped = skipped;
    }

    public string Name { get; }

    public double[] X { get; }

    public double[] Y { get; }

    /// <summary>How many input points had a NaN or infinite coordinate and were dropped.</summary>
    public int Skipped { get; }

    public int Count => X.Length;

    /// <summary>Copies the points whose coordinates are both finite.</summary>
    /// <exception cref="ArgumentException">No points, mismatched lengths, or no finite point.</exception>
    public static PlotSeries Create(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Series '{name}' has {x.Length} x values but {y.Length} y values.", nameof(y));
        }

        if (y.Length == 0)
        {
            throw new ArgumentException($"Series '{name}' has no points; a plotted series needs at least one.", nameof(y));
        }

        var xs = new List<double>(x.Length);
        var ys = new List<double>(y.Length);
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                xs.Add(x[i]);
                ys.Add(y[i]);
            }
        }

        if (xs.Count == 0)
        {
            throw new ArgumentException(
                $"Series '{name}' has {x.Length} points but none with finite x and y (NaN and infinite values are skipped).",
                nameof(y));
        }

        return new PlotSeries(name, [.. xs], [.. ys], x.Length - xs.Count);
    }
}
