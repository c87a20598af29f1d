namespace GenCluster.Imaging;

/// <summary>Argument checks and index arithmetic shared by the image types.</summary>
internal static class ImageSize
{
    public static void Validate(int width, int height, int channels, int bufferLength)
    {
        var expected = Checked(width, height, channels);
        if (bufferLength != expected)
        {
            throw new ArgumentException(
                $"The pixel buffer has {bufferLength} bytes but a {width}x{height} image with {channels} channel(s) needs {expected}.",
                "pixels");
        }
    }

    public static byte[] Allocate(int width, int height, int channels, byte fill)
    {
        var pixels = new byte[Checked(width, height, channels)];
        if (fill != 0)
        {
            Array.Fill(pixels, fill);
        }

        return pixels;
    }

    public static int Offset(int x, int y, int width, int height, int channels)
    {
        if ((uint)x >= (uint)width)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, $"Column must be in [0, {width}).");
        }

        if ((uint)y >= (uint)height)
        {
            throw new ArgumentOutOfRangeException(nameof(y), y, $"Row must be in [0, {height}).");
        }

        return ((y * width) + x) * channels;
    }

    private static int Checked(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var length = (long)width * height * channels;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"A {width}x{height} image with {channels} channel(s) is too large.", nameof(width));
        }

        return (int)length;
    }
}
