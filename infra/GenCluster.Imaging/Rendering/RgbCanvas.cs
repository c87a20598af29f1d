namespace GenCluster.Imaging;

/// <summary>An RGB raster with the few drawing operations the plots need; everything is clipped to the canvas.</summary>
internal sealed class RgbCanvas
{
    private readonly byte[] _pixels;

    public RgbCanvas(int width, int height, Rgb background)
    {
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 3;
            return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
    }

    /// <summary>Fills columns [x0, x1) and rows [y0, y1) with <paramref name="color"/> at opacity <paramref name="alpha"/>.</summary>
    public void FillRect(int x0, int y0, int x1, int y1, Rgb color, float alpha = 1f)
    {
        x0 = Math.Max(0, x0);
        y0 = Math.Max(0, y0);
        x1 = Math.Min(Width, x1);
        y1 = Math.Min(Height, y1);
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                Blend(x, y, color, alpha);
            }
        }
    }

    /// <summary>A one-pixel horizontal line on row <paramref name="y"/> from column <paramref name="x0"/> to <paramref name="x1"/> inclusive.</summary>
    public void HorizontalLine(int x0, int x1, int y, Rgb color) => FillRect(Math.Min(x0, x1), y, Math.Max(x0, x1) + 1, y + 1, color);

    /// <summary>A one-pixel vertical line on column <paramref name="x"/> from row <paramref name="y0"/> to <paramref name="y1"/> inclusive.</summary>
    public void VerticalLine(int x, int y0, int y1, Rgb color) => FillRect(x, Math.Min(y0, y1), x + 1, Math.Max(y0, y1) + 1, color);

    /// <summary>Mixes <paramref name="color"/> into one pixel; pixels off the canvas are ignored.</summary>
    public void Blend(int x, int y, Rgb color, float alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0f)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        if (alpha >= 1f)
        {
            _pixels[i] = color.R;
            _pixels[i + 1] = color.G;
            _pixels[i + 2] = color.B;
            return;
        }

        _pixels[i] = Mix(_pixels[i], color.R, alpha);
        _pixels[i + 1] = Mix(_pixels[i + 1], color.G, alpha);
        _pixels[i + 2] = Mix(_pixels[i + 2], color.B, alpha);
    }

    /// <summary>Paints <paramref name="color"/> wherever <paramref name="mask"/> has coverage.</summary>
    public void Composite(CoverageMask mask, Rgb color)
    {
        for (var y = mask.ClipTop; y <= mask.ClipBottom; y++)
        {
            for (var x = mask.ClipLeft; x <= mask.ClipRight; x++)
            {
                var c = mask[x, y];
                if (c > 0f)
                {
                    Blend(x, y, color, c);
                }
            }
        }
    }

    /// <summary>Draws text left to right with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void DrawText(string text, int x, int y, int scale, Rgb color)
    {
        var glyphs = BitmapFont.Normalize(text);
        for (var k = 0; k < glyphs.Length; k++)
        {
            var originX = x + (k * BitmapFont.Advance * scale);
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsInk(glyphs[k], column, row))
                    {
                        FillRect(originX + (column * scale), y + (row * scale), originX + ((column + 1) * scale), y + ((row + 1) * scale), color);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Draws text rotated a quarter turn counter-clockwise (reading bottom to top). (<paramref name="x"/>,
    /// <paramref name="y"/>) is the top-left of the rotated text's box, whose height is the text width.
    /// </summary>
    public void DrawTextRotated(string text, int x, int y, int scale, Rgb color)
    {
        var glyphs = BitmapFont.Normalize(text);
        var bottom = y + BitmapFont.MeasureWidth(text, scale);
        for (var k = 0; k < glyphs.Length; k++)
        {
            var along = k * BitmapFont.Advance * scale;
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsInk(glyphs[k], column, row))
                    {
                        // Unrotated (u, v) = (along + column, row) maps to (x + v, bottom - u - 1).
                        var px = x + (row * scale);
                        var py = bottom - along - ((column + 1) * scale);
                        FillRect(px, py, px + scale, py + scale, color);
                    }
                }
            }
        }
    }

    public RgbImage ToImage() => new(Width, Height, (byte[])_pixels.Clone());

    private static byte Mix(byte under, byte over, float alpha) =>
        (byte)Math.Clamp(MathF.Round(under + ((over - under) * alpha)), 0f, 255f);
}
