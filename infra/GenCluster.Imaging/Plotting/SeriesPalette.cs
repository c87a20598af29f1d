namespace GenCluster.Imaging;

/// <summary>Ten well-separated line colours (the widely used "category10" set); series cycle through them.</summary>
internal static class SeriesPalette
{
    private static readonly Rgb[] Colors =
    [
        Rgb.FromHex("#1f77b4"), // blue
        Rgb.FromHex("#ff7f0e"), // orange
        Rgb.FromHex("#2ca02c"), // green
        Rgb.FromHex("#d62728"), // red
        Rgb.FromHex("#9467bd"), // purple
        Rgb.FromHex("#8c564b"), // brown
        Rgb.FromHex("#e377c2"), // pink
        Rgb.FromHex("#7f7f7f"), // grey
        Rgb.FromHex("#bcbd22"), // olive
        Rgb.FromHex("#17becf"), // cyan
    ];

    public static int Count => Colors.Length;

    public static Rgb ColorOf(int seriesIndex) => Colors[seriesIndex % Colors.Length];
}
