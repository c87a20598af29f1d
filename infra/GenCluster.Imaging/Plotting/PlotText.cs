namespace GenCluster.Imaging;

/// <summary>
/// A piece of text on a plot, positioned once by <see cref="PlotLayout"/> and drawn the same way
/// by the SVG writer and the rasteriser. <see cref="Top"/> is the top of the capitals; the baseline
/// is <c>Top + CapHeight * Scale</c>. A vertical text reads bottom to top and is centred on
/// (<see cref="X"/>, <see cref="Top"/>), with <see cref="X"/> the left edge of its rotated box.
/// </summary>
internal sealed record PlotText(string Text, double X, double Top, TextAnchor Anchor, int Scale, bool Vertical = false);
