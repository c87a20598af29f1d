namespace GenCluster.Imaging;

/// <summary>One legend row: a horizontal swatch line from <see cref="SwatchLeft"/> to <see cref="SwatchRight"/> at <see cref="SwatchY"/>, then the label.</summary>
internal sealed record LegendEntry(string Name, Rgb Color, double SwatchLeft, double SwatchRight, double SwatchY, PlotText Label);
