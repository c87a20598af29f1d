using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace GenCluster.Imaging;

/// <summary>
/// Writes a <see cref="PlotLayout"/> as SVG 1.1. The document is built with LINQ to XML, so text is
/// escaped by construction; characters XML cannot carry at all (most control characters) become '?'.
/// Each series is one <c>polyline</c> (class <c>series</c>, with a <c>data-name</c> attribute and a
/// <c>title</c> child) holding one coordinate pair per finite point, plus a <c>circle</c> when it has a
/// single point.
/// </summary>
internal static class SvgPlotWriter
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private const string FrameColor = "#333333";
    private const string GridColor = "#e6e6e6";
    private const string TextColor = "#222222";

    public static string Write(PlotLayout layout)
    {
        var root = new XElement(
            Svg + "svg",
            new XAttribute("version", "1.1"),
            new XAttribute("width", layout.Width),
            new XAttribute("height", layout.Height),
            new XAttribute("viewBox", $"0 0 {layout.Width} {layout.Height}"),
            new XAttribute("font-family", "DejaVu Sans Mono, Menlo, Consolas, monospace"));

        if (layout.Title is not null)
        {
            root.Add(new XElement(Svg + "title", Clean(layout.Title)));
        }

        root.Add(new XElement(
            Svg + "defs",
            new XElement(
                Svg + "clipPath",
                new XAttribute("id", "plot-area"),
                Rect(layout.Left + 1, layout.Top + 1, layout.Right - layout.Left - 1, layout.Bottom - layout.Top - 1))));

        root.Add(new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")));

        var grid = new XElement(Svg + "g", new XAttribute("class", "grid"), new XAttribute("stroke", GridColor), new XAttribute("stroke-width", 1));
        foreach (var v in layout.XTicks.Values)
        {
            var x = layout.ColumnOf(v) + 0.5;
            grid.Add(Line(x, layout.Top + 0.5, x, layout.Bottom + 0.5));
        }

        foreach (var v in layout.YTicks.Values)
        {
            var y = layout.RowOf(v) + 0.5;
            grid.Add(Line(layout.Left + 0.5, y, layout.Right + 0.5, y));
        }

        root.Add(grid);

        var curves = new XElement(Svg + "g", new XAttribute("class", "curves"), new XAttribute("clip-path", "url(#plot-area)"));
        foreach (var series in layout.Series)
        {
            var points = new StringBuilder(series.Count * 16);
            for (var i = 0; i < series.Count; i++)
            {
                if (i > 0)
                {
                    points.Append(' ');
                }

                points.Append(Number(layout.MapX(series.X[i]))).Append(',').Append(Number(layout.MapY(series.Y[i])));
            }

            curves.Add(new XElement(
                Svg + "polyline",
                new XAttribute("class", "series"),
                new XAttribute("data-name", Clean(series.Name)),
                new XAttribute("fill", "none"),
                new XAttribute("stroke", series.Color.ToHex()),
                new XAttribute("stroke-width", Number(layout.LineWidth)),
                new XAttribute("stroke-linejoin", "round"),
                new XAttribute("stroke-linecap", "round"),
                new XAttribute("points", points.ToString()),
                new XElement(Svg + "title", Clean(series.Name))));

            if (series.Count == 1)
            {
                curves.Add(new XElement(
                    Svg + "circle",
                    new XAttribute("cx", Number(layout.MapX(series.X[0]))),
                    new XAttribute("cy", Number(layout.MapY(series.Y[0]))),
                    new XAttribute("r", Number(Math.Max(3, layout.LineWidth * 1.5))),
                    new XAttribute("fill", series.Color.ToHex())));
            }
        }

        root.Add(curves);

        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"), new XAttribute("stroke", FrameColor), new XAttribute("stroke-width", 1), new XAttribute("fill", "none"));
        axes.Add(Rect(layout.Left + 0.5, layout.Top + 0.5, layout.Right - layout.Left, layout.Bottom - layout.Top));
        foreach (var v in layout.XTicks.Values)
        {
            var x = layout.ColumnOf(v) + 0.5;
            axes.Add(Line(x, layout.Bottom + 0.5, x, layout.Bottom + 0.5 + PlotLayout.TickLength));
        }

        foreach (var v in layout.YTicks.Values)
        {
            var y = layout.RowOf(v) + 0.5;
            axes.Add(Line(layout.Left + 0.5 - PlotLayout.TickLength, y, layout.Left + 0.5, y));
        }

        root.Add(axes);

        var labels = new XElement(Svg + "g", new XAttribute("class", "labels"), new XAttribute("fill", TextColor));
        foreach (var text in layout.Texts)
        {
            labels.Add(Text(text));
        }

        root.Add(labels);

        if (layout.Legend is { } legend)
        {
            var group = new XElement(Svg + "g", new XAttribute("class", "legend"));
            group.Add(new XElement(
                Svg + "rect",
                new XAttribute("x", legend.Left + 0.5),
                new XAttribute("y", legend.Top + 0.5),
                new XAttribute("width", legend.Right - legend.Left - 1),
                new XAttribute("height", legend.Bottom - legend.Top - 1),
                new XAttribute("fill", "#ffffff"),
                new XAttribute("fill-opacity", "0.85"),
                new XAttribute("stroke", "#bbbbbb")));
            foreach (var entry in legend.Entries)
            {
                var swatch = Line(entry.SwatchLeft, entry.SwatchY, entry.SwatchRight, entry.SwatchY);
                swatch.Add(new XAttribute("stroke", entry.Color.ToHex()), new XAttribute("stroke-width", Number(Math.Max(2, layout.LineWidth))));
                group.Add(swatch);
                var label = Text(entry.Label);
                label.Add(new XAttribute("fill", TextColor));
                group.Add(label);
            }

            root.Add(group);
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        return document.Declaration + "\n" + document.Root!.ToString(SaveOptions.None) + "\n";
    }

    private static XElement Text(PlotText text)
    {
        var fontSize = 10 * text.Scale;
        var anchor = text.Anchor switch
        {
            TextAnchor.Start => "start",
            TextAnchor.End => "end",
            _ => "middle",
        };
        var element = new XElement(
            Svg + "text",
            new XAttribute("font-size", fontSize),
            new XAttribute("text-anchor", anchor),
            Clean(text.Text));
        var capHeight = BitmapFont.CapHeight * text.Scale;
        if (text.Vertical)
        {
            // Rotate about the centre of the box; the baseline sits capHeight right of its left edge.
            var x = text.X + capHeight;
            element.Add(
                new XAttribute("x", Number(x)),
                new XAttribute("y", Number(text.Top)),
                new XAttribute("transform", $"rotate(-90 {Number(x)} {Number(text.Top)})"));
        }
        else
        {
            element.Add(new XAttribute("x", Number(text.X)), new XAttribute("y", Number(text.Top + capHeight)));
        }

        return element;
    }

    private static XElement Line(double x1, double y1, double x2, double y2) => new(
        Svg + "line",
        new XAttribute("x1", Number(x1)),
        new XAttribute("y1", Number(y1)),
        new XAttribute("x2", Number(x2)),
        new XAttribute("y2", Number(y2)));

    private static XElement Rect(double x, double y, double width, double height) => new(
        Svg + "rect",
        new XAttribute("x", Number(x)),
        new XAttribute("y", Number(y)),
        new XAttribute("width", Number(width)),
        new XAttribute("height", Number(height)));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Replaces characters that XML 1.0 cannot represent, even escaped, with '?'.</summary>
    internal static string Clean(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                builder?.Append(c);
                continue;
            }

            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            builder ??= new StringBuilder(text.Length).Append(text, 0, i);
            builder.Append('?');
        }

        return builder?.ToString() ?? text;
    }
}
