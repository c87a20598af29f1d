using GenCluster.Datasets;

namespace GenCluster.Training.Tests.Quality;

/// <summary>Degradations of 28×28 images (floats in [-1, 1]) for the metric's sanity checks.</summary>
internal static class ImageTransforms
{
    private const int Side = FashionMnist.ImageWidth;

    /// <summary>A separable box blur of the given radius, edges clamped.</summary>
    public static float[] Blur(ReadOnlySpan<float> images, int radius)
    {
        var result = new float[images.Length];
        var row = new float[FashionMnist.PixelsPerImage];
        for (var start = 0; start < images.Length; start += FashionMnist.PixelsPerImage)
        {
            var source = images.Slice(start, FashionMnist.PixelsPerImage);
            var target = result.AsSpan(start, FashionMnist.PixelsPerImage);
            for (var y = 0; y < Side; y++)
            {
                for (var x = 0; x < Side; x++)
                {
                    row[(y * Side) + x] = Average(source, y, x, radius, horizontal: true);
                }
            }

            for (var y = 0; y < Side; y++)
            {
                for (var x = 0; x < Side; x++)
                {
                    target[(y * Side) + x] = Average(row, y, x, radius, horizontal: false);
                }
            }
        }

        return result;
    }

    /// <summary>Moves every image right and down by <paramref name="pixels"/>, filling with background (−1).</summary>
    public static float[] Shift(ReadOnlySpan<float> images, int pixels)
    {
        var result = new float[images.Length];
        Array.Fill(result, -1f);
        for (var start = 0; start < images.Length; start += FashionMnist.PixelsPerImage)
        {
            for (var y = 0; y + pixels < Side; y++)
            {
                for (var x = 0; x + pixels < Side; x++)
                {
                    result[start + ((y + pixels) * Side) + x + pixels] = images[start + (y * Side) + x];
                }
            }
        }

        return result;
    }

    /// <summary>Uniform noise in [-1, 1].</summary>
    public static float[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count * FashionMnist.PixelsPerImage];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (random.NextSingle() * 2) - 1;
        }

        return result;
    }

    private static float Average(ReadOnlySpan<float> image, int y, int x, int radius, bool horizontal)
    {
        var sum = 0f;
        for (var d = -radius; d <= radius; d++)
        {
            var yy = horizontal ? y : Math.Clamp(y + d, 0, Side - 1);
            var xx = horizontal ? Math.Clamp(x + d, 0, Side - 1) : x;
            sum += image[(yy * Side) + xx];
        }

        return sum / ((2 * radius) + 1);
    }
}
