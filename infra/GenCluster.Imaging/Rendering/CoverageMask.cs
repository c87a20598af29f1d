namespace GenCluster.Imaging;

/// <summary>
/// Per-pixel ink coverage in [0, 1] for one stroke colour. Shapes are merged by taking the
/// maximum, so a polyline's overlapping segment ends do not darken its joints. Coverage is
/// computed from the distance between each pixel centre and the shape (a one-pixel linear ramp),
/// which anti-aliases edges. Only pixels inside the clip rectangle are touched.
/// </summary>
internal sealed class CoverageMask
{
    private readonly float[] _coverage;

    public CoverageMask(int width, int height, int clipLeft, int clipTop, int clipRight, int clipBottom)
    {
        Width = width;
        Height = height;
        _coverage = new float[width * height];
        ClipLeft = Math.Max(0, clipLeft);
        ClipTop = Math.Max(0, clipTop);
        ClipRight = Math.Min(width - 1, clipRight);
        ClipBottom = Math.Min(height - 1, clipBottom);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Leftmost column that may receive ink (inclusive).</summary>
    public int ClipLeft { get; }

    /// <summary>Topmost row that may receive ink (inclusive).</summary>
    public int ClipTop { get; }

    /// <summary>Rightmost column that may receive ink (inclusive).</summary>
    public int ClipRight { get; }

    /// <summary>Bottom row that may receive ink (inclusive).</summary>
    public int ClipBottom { get; }

    public float this[int x, int y] => _coverage[(y * Width) + x];

    public void Clear() => Array.Clear(_coverage);

    /// <summary>
    /// Adds a segment of total width <c>2 * halfWidth</c> with round caps, in continuous pixel
    /// coordinates where pixel (i, j) covers [i, i+1) × [j, j+1).
    /// </summary>
    public void AddSegment(double x0, double y0, double x1, double y1, double halfWidth)
    {
        var reach = halfWidth + 1;
        var left = Math.Max(ClipLeft, (int)Math.Floor(Math.Min(x0, x1) - reach));
        var right = Math.Min(ClipRight, (int)Math.Ceiling(Math.Max(x0, x1) + reach));
        var top = Math.Max(ClipTop, (int)Math.Floor(Math.Min(y0, y1) - reach));
        var bottom = Math.Min(ClipBottom, (int)Math.Ceiling(Math.Max(y0, y1) + reach));
        if (left > right || top > bottom)
        {
            return;
        }

        var dx = x1 - x0;
        var dy = y1 - y0;
        var lengthSquared = (dx * dx) + (dy * dy);
        for (var j = top; j <= bottom; j++)
        {
            var py = j + 0.5;
            var rowStart = j * Width;
            for (var i = left; i <= right; i++)
            {
                var px = i + 0.5;
                var t = lengthSquared > 0 ? (((px - x0) * dx) + ((py - y0) * dy)) / lengthSquared : 0;
                t = Math.Clamp(t, 0, 1);
                var ex = px - (x0 + (t * dx));
                var ey = py - (y0 + (t * dy));
                var distance = Math.Sqrt((ex * ex) + (ey * ey));
                Cover(rowStart + i, halfWidth + 0.5 - distance);
            }
        }
    }

    /// <summary>Adds a filled disc.</summary>
    public void AddDisc(double centerX, double centerY, double radius) =>
        AddSegment(centerX, centerY, centerX, centerY, radius);

    private void Cover(int index, double coverage)
    {
        if (coverage <= 0)
        {
            return;
        }

        var c = coverage >= 1 ? 1f : (float)coverage;
        if (c > _coverage[index])
        {
            _coverage[index] = c;
        }
    }
}
