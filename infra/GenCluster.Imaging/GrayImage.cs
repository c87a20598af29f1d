namespace GenCluster.Imaging;

/// <summary>
/// An 8-bit greyscale image: <see cref="Pixels"/> holds <c>Width * Height</c> bytes, row-major,
/// top row first, 0 = black and 255 = white. The buffer is shared, not copied.
/// </summary>
public sealed class GrayImage
{
    /// <summary>Wraps an existing pixel buffer.</summary>
    /// <exception cref="ArgumentException">A size is not positive or the buffer length is not <c>width * height</c>.</exception>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ImageSize.Validate(width, height, channels: 1, pixels.Length);
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Creates an image filled with <paramref name="fill"/>.</summary>
    public GrayImage(int width, int height, byte fill = 0)
        : this(width, height, ImageSize.Allocate(width, height, channels: 1, fill))
    {
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major pixel bytes, <c>Width * Height</c> of them.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/> (0,0 is the top-left corner).</summary>
    public byte this[int x, int y]
    {
        get => Pixels[ImageSize.Offset(x, y, Width, Height, channels: 1)];
        set => Pixels[ImageSize.Offset(x, y, Width, Height, channels: 1)] = value;
    }

    /// <summary>Writes the image as a greyscale PNG file.</summary>
    public void SavePng(string path) => PngWriter.Save(path, this);

    /// <summary>Encodes the image as greyscale PNG bytes.</summary>
    public byte[] ToPng() => PngWriter.Encode(Pixels, Width, Height, PngColorType.Grayscale);
}
