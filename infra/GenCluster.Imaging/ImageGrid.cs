namespace GenCluster.Imaging;

/// <summary>
/// Tiles single-channel images — typically a batch of GAN generator samples with values in
/// [-1, 1] (tanh output) — into one greyscale image, like torchvision's <c>make_grid</c>.
/// </summary>
/// <remarks>
/// Tile <c>i</c> goes to row <c>i / columns</c>, column <c>i % columns</c>. Every tile is surrounded
/// by <c>padding</c> pixels of the background value, including along the outer border, so the grid is
/// <c>columns * (width + padding) + padding</c> pixels wide and <c>rows * (height + padding) + padding</c>
/// high. Sample values map linearly from [-1, 1] to [0, 255], rounded to nearest; values outside the
/// range are clamped and NaN becomes 0.
/// </remarks>
public static class ImageGrid
{
    /// <summary>The default gap between tiles, in pixels.</summary>
    public const int DefaultPadding = 2;

    /// <summary>Builds the grid image.</summary>
    /// <param name="images"><paramref name="count"/> images of <paramref name="height"/> × <paramref name="width"/>
    /// floats each, one after another, each row-major (an N×1×H×W or N×H×W tensor's data).</param>
    /// <param name="count">Number of images N, at least 1.</param>
    /// <param name="height">Height H of each image, at least 1.</param>
    /// <param name="width">Width W of each image, at least 1.</param>
    /// <param name="columns">Tiles per grid row; 0 picks <c>ceil(sqrt(N))</c> (8 for 64 images).
    /// The number of rows is <c>ceil(N / columns)</c>; unused cells in the last row show the background.</param>
    /// <param name="padding">Pixels between tiles and around the border, 0 or more.</param>
    /// <param name="background">Grey level of the padding.</param>
    /// <exception cref="ArgumentException">A size is out of range, or <paramref name="images"/> does not hold exactly N·H·W values.</exception>
    public static GrayImage Build(
        ReadOnlySpan<float> images,
        int count,
        int height,
        int width,
        int columns = 0,
        int padding = DefaultPadding,
        byte background = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);

        var expected = (long)count * height * width;
        if (images.Length != expected)
        {
            throw new ArgumentException(
                $"Expected count * height * width = {count} * {height} * {width} = {expected} values but got {images.Length}.",
                nameof(images));
        }

        if (columns == 0)
        {
            columns = (int)Math.Ceiling(Math.Sqrt(count));
        }

        columns = Math.Min(columns, count);
        var rows = (count + columns - 1) / columns;
        var gridWidth = ((long)columns * (width + (long)padding)) + padding;
        var gridHeight = ((long)rows * (height + (long)padding)) + padding;
        if (gridWidth > int.MaxValue || gridHeight > int.MaxValue || gridWidth * gridHeight > Array.MaxLength)
        {
            throw new ArgumentException($"A {columns}x{rows} grid of {width}x{height} tiles is too large.", nameof(count));
        }

        var grid = new GrayImage((int)gridWidth, (int)gridHeight, background);
        var pixels = grid.Pixels;
        var tileSize = height * width;
        for (var i = 0; i < count; i++)
        {
            var left = padding + ((i % columns) * (width + padding));
            var top = padding + ((i / columns) * (height + padding));
            var tile = images.Slice(i * tileSize, tileSize);
            for (var y = 0; y < height; y++)
            {
                var source = tile.Slice(y * width, width);
                var destination = pixels.AsSpan(((top + y) * grid.Width) + left, width);
                for (var x = 0; x < width; x++)
                {
                    destination[x] = ToByte(source[x]);
                }
            }
        }

        return grid;
    }

    /// <summary>Builds the grid (see <see cref="Build"/>) and writes it as a greyscale PNG file.</summary>
    public static void SavePng(
        string path,
        ReadOnlySpan<float> images,
        int count,
        int height,
        int width,
        int columns = 0,
        int padding = DefaultPadding,
        byte background = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Build(images, count, height, width, columns, padding, background).SavePng(path);
    }

    /// <summary>Maps a sample in [-1, 1] to a grey level: -1 → 0, 0 → 128, 1 → 255; clamps; NaN → 0.</summary>
    internal static byte ToByte(float value)
    {
        if (float.IsNaN(value))
        {
            return 0;
        }

        var scaled = (value + 1f) * 127.5f;
        return scaled <= 0f ? (byte)0 : scaled >= 255f ? (byte)255 : (byte)MathF.Round(scaled, MidpointRounding.AwayFromZero);
    }
}
