namespace GenCluster.Imaging;

/// <summary>
/// An 8-bit RGB image: <see cref="Pixels"/> holds <c>Width * Height * 3</c> bytes (R, G, B per pixel),
/// row-major, top row first. The buffer is shared, not copied.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps an existing pixel buffer.</summary>
    /// <exception cref="ArgumentException">A size is not positive or the buffer length is not <c>width * height * 3</c>.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ImageSize.Validate(width, height, channels: 3, pixels.Length);
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height)
        : this(width, height, ImageSize.Allocate(width, height, channels: 3, fill: 0))
    {
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major pixel bytes, <c>Width * Height * 3</c> of them.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/> (0,0 is the top-left corner).</summary>
    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        var i = ImageSize.Offset(x, y, Width, Height, channels: 3);
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    /// <summary>Sets the pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public void SetPixel(int x, int y, byte r, byte g, byte b)
    {
        var i = ImageSize.Offset(x, y, Width, Height, channels: 3);
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }

    /// <summary>Writes the image as an RGB PNG file.</summary>
    public void SavePng(string path) => PngWriter.Save(path, this);

    /// <summary>Encodes the image as RGB PNG bytes.</summary>
    public byte[] ToPng() => PngWriter.Encode(Pixels, Width, Height, PngColorType.Rgb);
}
