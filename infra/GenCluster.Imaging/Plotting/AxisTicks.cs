using System.Globalization;

namespace GenCluster.Imaging;

/// <summary>
/// An axis range and its tick marks at "nice" values (1, 2 or 5 times a power of ten), with labels
/// formatted to as many decimals as the tick step needs (up to four), or in scientific notation
/// (<c>2.5e-5</c>, <c>1e+6</c>) when that would take more decimals or the values reach a million.
/// </summary>
internal sealed class AxisTicks
{
    private AxisTicks(double min, double max, double step, double[] values, string[] labels)
    {
        Min = min;
        Max = max;
        Step = step;
        Values = values;
        Labels = labels;
    }

    /// <summary>Axis start (data coordinate at the low end of the axis).</summary>
    public double Min { get; }

    /// <summary>Axis end.</summary>
    public double Max { get; }

    /// <summary>Distance between neighbouring ticks.</summary>
    public double Step { get; }

    /// <summary>Tick positions, ascending, all within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>One label per tick.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// Chooses the axis range and ticks for data spanning [<paramref name="dataMin"/>, <paramref name="dataMax"/>].
    /// </summary>
    /// <param name="dataMin">Smallest data value (finite).</param>
    /// <param name="dataMax">Largest data value (finite, ≥ <paramref name="dataMin"/>).</param>
    /// <param name="targetCount">About how many ticks to show (at least 1).</param>
    /// <param name="margin">Fraction of the data span added on each side, so curves do not sit on the frame.</param>
    /// <exception cref="InvalidOperationException">The span is too large to represent.</exception>
    public static AxisTicks Compute(double dataMin, double dataMax, int targetCount, double margin)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetCount);
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax) || dataMax < dataMin)
        {
            throw new ArgumentException($"Invalid data range [{dataMin}, {dataMax}].", nameof(dataMin));
        }

        double min, max;
        var span = dataMax - dataMin;
        var magnitude = Math.Max(Math.Abs(dataMin), Math.Abs(dataMax));
        if (span <= magnitude * 1e-12)
        {
            // Constant data: give the axis a range around the value instead of dividing by zero.
            var half = magnitude > 0 ? magnitude * 0.1 : 1.0;
            min = dataMin - half;
            max = dataMax + half;
        }
        else
        {
            min = dataMin - (span * margin);
            max = dataMax + (span * margin);
        }

        if (!double.IsFinite(max - min))
        {
            throw new InvalidOperationException($"The value range [{dataMin}, {dataMax}] is too wide to plot.");
        }

        var (step, exponent) = NiceStep((max - min) / targetCount);
        var first = (long)Math.Ceiling((min / step) - 1e-9);
        var last = (long)Math.Floor((max / step) + 1e-9);
        var values = new double[Math.Max(0, last - first + 1)];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = (first + k) * step;
        }

        var labels = FormatLabels(values, exponent);
        return new AxisTicks(min, max, step, values, labels);
    }

    /// <summary>
    /// Rounds a raw step to 1, 2, 5 or 10 times a power of ten, to the nearest of those on a log-like scale.
    /// Returns the step and the power of ten of its leading digit.
    /// </summary>
    public static (double Step, int Exponent) NiceStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw))
        {
            throw new ArgumentOutOfRangeException(nameof(raw), raw, "A tick step must be positive and finite.");
        }

        var exponent = (int)Math.Floor(Math.Log10(raw));
        var fraction = raw / Math.Pow(10, exponent);
        int digit;
        if (fraction < 1.5)
        {
            digit = 1;
        }
        else if (fraction < 3)
        {
            digit = 2;
        }
        else if (fraction < 7)
        {
            digit = 5;
        }
        else
        {
            digit = 1;
            exponent++;
        }

        return (digit * Math.Pow(10, exponent), exponent);
    }

    /// <summary>Formats tick values whose step is a multiple of 10^<paramref name="stepExponent"/>.</summary>
    public static string[] FormatLabels(IReadOnlyList<double> values, int stepExponent)
    {
        var magnitude = 0.0;
        foreach (var v in values)
        {
            magnitude = Math.Max(magnitude, Math.Abs(v));
        }

        var decimals = Math.Max(0, -stepExponent);
        string format;
        var scientific = false;
        if (decimals <= 4 && magnitude < 1e6)
        {
            format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            scientific = true;
            var leading = magnitude > 0 ? (int)Math.Floor(Math.Log10(magnitude)) : stepExponent;
            var digits = Math.Clamp(leading - stepExponent, 0, 12);
            format = digits == 0 ? "0e+0" : "0." + new string('0', digits) + "e+0";
        }

        var labels = new string[values.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var v = values[i];
            labels[i] = v == 0
                ? (scientific ? "0" : 0.0.ToString(format, CultureInfo.InvariantCulture))
                : v.ToString(format, CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
