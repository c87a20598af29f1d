namespace GenCluster.Imaging;

/// <summary>The PNG colour types <see cref="PngWriter"/> can encode (always 8 bits per sample).</summary>
public enum PngColorType : byte
{
    /// <summary>One byte per pixel, 0 = black, 255 = white (PNG colour type 0).</summary>
    Grayscale = 0,

    /// <summary>Three bytes per pixel in R, G, B order (PNG colour type 2).</summary>
    Rgb = 2,
}
