namespace GenCluster.Imaging;

/// <summary>How a <see cref="PlotText"/> is placed relative to its anchor x.</summary>
internal enum TextAnchor
{
    Start,
    Middle,
    End,
}
