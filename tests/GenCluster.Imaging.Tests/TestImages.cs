namespace GenCluster.Imaging.Tests;

/// <summary>Pixel buffers with different structure, so every filter type has something to win on.</summary>
internal static class TestImages
{
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Smooth diagonal gradients per channel with a noisy band in the middle.</summary>
    public static byte[] Gradient(int width, int height, int channels, int seed = 7)
    {
        var rng = new Random(seed);
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var value = (x * (c + 1) * 3) + (y * 2) + (c * 40);
                    if (y > height / 3 && y < height / 2)
                    {
                        value += rng.Next(0, 20);
                    }

                    pixels[(((y * width) + x) * channels) + c] = (byte)value;
                }
            }
        }

        return pixels;
    }
}
