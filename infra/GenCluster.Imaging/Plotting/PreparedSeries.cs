namespace GenCluster.Imaging;

/// <summary>A series ready to draw: finite points, smoothed if asked, with its colour.</summary>
internal sealed record PreparedSeries(string Name, Rgb Color, double[] X, double[] Y, int Skipped)
{
    public int Count => X.Length;
}
