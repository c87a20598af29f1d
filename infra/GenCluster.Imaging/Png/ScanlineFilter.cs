namespace GenCluster.Imaging;

/// <summary>
/// PNG filter method 0: the five per-scanline filters (None, Sub, Up, Average, Paeth) and the
/// usual heuristic for choosing one per row — the filter whose output has the smallest sum of
/// absolute values when its bytes are read as signed.
/// </summary>
internal static class ScanlineFilter
{
    public const byte None = 0;
    public const byte Sub = 1;
    public const byte Up = 2;
    public const byte Average = 3;
    public const byte Paeth = 4;

    /// <summary>
    /// Filters <paramref name="row"/> with every filter type into <paramref name="scratch"/>
    /// (five slots of <c>row.Length</c> bytes) and returns the chosen type; its bytes are
    /// in slot <c>type</c> of <paramref name="scratch"/>.
    /// </summary>
    /// <param name="row">The raw bytes of the current scanline.</param>
    /// <param name="previous">The raw bytes of the scanline above (all zero for the first row).</param>
    /// <param name="bytesPerPixel">Bytes per complete pixel (1 for grey, 3 for RGB).</param>
    /// <param name="scratch">At least <c>5 * row.Length</c> bytes.</param>
    public static byte ChooseAndApply(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> scratch)
    {
        var n = row.Length;
        var best = None;
        var bestScore = long.MaxValue;
        for (byte type = None; type <= Paeth; type++)
        {
            var output = scratch.Slice(type * n, n);
            Apply(type, row, previous, bytesPerPixel, output);
            var score = Score(output);
            if (score < bestScore)
            {
                bestScore = score;
                best = type;
            }
        }

        return best;
    }

    /// <summary>Applies one filter type to a scanline.</summary>
    public static void Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> output)
    {
        switch (type)
        {
            case None:
                row.CopyTo(output);
                break;
            case Sub:
                for (var i = 0; i < row.Length; i++)
                {
                    var a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    output[i] = (byte)(row[i] - a);
                }

                break;
            case Up:
                for (var i = 0; i < row.Length; i++)
                {
                    output[i] = (byte)(row[i] - previous[i]);
                }

                break;
            case Average:
                for (var i = 0; i < row.Length; i++)
                {
                    var a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    output[i] = (byte)(row[i] - ((a + previous[i]) >> 1));
                }

                break;
            case Paeth:
                for (var i = 0; i < row.Length; i++)
                {
                    int a = 0, c = 0;
                    if (i >= bytesPerPixel)
                    {
                        a = row[i - bytesPerPixel];
                        c = previous[i - bytesPerPixel];
                    }

                    output[i] = (byte)(row[i] - PaethPredictor(a, previous[i], c));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "PNG filter types are 0 to 4.");
        }
    }

    /// <summary>The Paeth predictor: whichever of left, above, upper-left is closest to left + above - upper-left.</summary>
    public static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    private static long Score(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (var b in filtered)
        {
            sum += Math.Abs((int)(sbyte)b);
        }

        return sum;
    }
}
