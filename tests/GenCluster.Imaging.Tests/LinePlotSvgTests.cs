using System.Globalization;
using System.Xml.Linq;

namespace GenCluster.Imaging.Tests;

public class LinePlotSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (double[] Steps, double[] D, double[] G) Losses(int n)
    {
        var rng = new Random(42);
        var steps = Enumerable.Range(0, n).Select(i => i * 10.0).ToArray();
        var d = steps.Select(s => 0.7 + (0.5 * Math.Exp(-s / 5000)) + (0.1 * rng.NextDouble())).ToArray();
        var g = steps.Select(s => 2.5 - Math.Exp(-s / 8000) + (0.3 * rng.NextDouble())).ToArray();
        return (steps, d, g);
    }

    private static List<(double X, double Y)> Points(XElement polyline) =>
        polyline.Attribute("points")!.Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    [Fact]
    public void Svg_is_well_formed_xml_with_one_polyline_per_series_and_a_point_per_sample()
    {
        var (steps, d, g) = Losses(3000);
        var plot = new LinePlot { Title = "GAN losses", XLabel = "step", YLabel = "loss" };
        plot.AddSeries("D loss", steps, d).AddSeries("G loss", steps, g);

        var doc = XDocument.Parse(plot.ToSvg());

        doc.Root!.Name.Should().Be(Svg + "svg");
        doc.Root.Attribute("width")!.Value.Should().Be("800");
        doc.Root.Attribute("height")!.Value.Should().Be("500");
        var polylines = doc.Descendants(Svg + "polyline").ToList();
        polylines.Select(p => p.Attribute("data-name")!.Value).Should().Equal("D loss", "G loss");
        polylines.Should().OnlyContain(p => Points(p).Count == 3000);
        polylines.Select(p => p.Attribute("stroke")!.Value).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Svg_contains_title_axis_labels_legend_entries_and_tick_labels()
    {
        var plot = new LinePlot { Title = "GAN losses", XLabel = "step", YLabel = "loss" };
        plot.AddSeries("D loss", [0, 500, 1000], [1.0, 0.8, 0.7]).AddSeries("G loss", [0, 500, 1000], [0.7, 1.5, 2.0]);

        var doc = XDocument.Parse(plot.ToSvg());
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();

        doc.Root!.Element(Svg + "title")!.Value.Should().Be("GAN losses");
        texts.Should().Contain(["GAN losses", "step", "loss", "D loss", "G loss", "0", "1000", "1.0", "2.0"]);
        doc.Descendants(Svg + "g").Single(e => (string?)e.Attribute("class") == "legend")
            .Descendants(Svg + "text").Select(t => t.Value).Should().Equal("D loss", "G loss");
    }

    [Fact]
    public void Markup_characters_in_names_are_escaped_and_read_back_unchanged()
    {
        const string name = "D <loss> & \"fake\" 'real'";
        var plot = new LinePlot { Title = "a < b && c > d" };
        plot.AddSeries(name, [1.0, 2.0]);

        var svg = plot.ToSvg();
        var doc = XDocument.Parse(svg);

        svg.Should().Contain("&lt;loss&gt; &amp;");
        doc.Descendants(Svg + "polyline").Single().Attribute("data-name")!.Value.Should().Be(name);
        doc.Descendants(Svg + "text").Select(t => t.Value).Should().Contain([name, "a < b && c > d"]);
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_replaced_so_the_document_still_parses()
    {
        var plot = new LinePlot { Title = "bell\u0007 and \uD800 lone surrogate, 😀 kept" };
        plot.AddSeries("x\u0001y", [1.0, 2.0]);

        var doc = XDocument.Parse(plot.ToSvg());

        doc.Descendants(Svg + "polyline").Single().Attribute("data-name")!.Value.Should().Be("x?y");
        doc.Root!.Element(Svg + "title")!.Value.Should().Be("bell? and ? lone surrogate, 😀 kept");
    }

    [Fact]
    public void Non_finite_values_are_skipped_and_the_rest_are_drawn()
    {
        double[] y = [1, double.NaN, 2, double.PositiveInfinity, 3, double.NegativeInfinity, 4];
        double[] x = [0, 1, 2, 3, double.NaN, 5, 6];
        var plot = new LinePlot();
        plot.AddSeries("loss", x, y);

        var svg = plot.ToSvg();
        var points = Points(XDocument.Parse(svg).Descendants(Svg + "polyline").Single());

        plot.SkippedPointCount.Should().Be(4);
        points.Should().HaveCount(3); // (0,1), (2,2), (6,4)
        svg.Should().NotContain("NaN").And.NotContain("Infinity");
    }

    [Fact]
    public void Points_lie_inside_the_plot_frame_and_keep_their_order()
    {
        var (steps, d, _) = Losses(500);
        var plot = new LinePlot();
        plot.AddSeries("D", steps, d);

        var doc = XDocument.Parse(plot.ToSvg());
        var frame = doc.Descendants(Svg + "g").Single(e => (string?)e.Attribute("class") == "axes").Element(Svg + "rect")!;
        var left = double.Parse(frame.Attribute("x")!.Value, CultureInfo.InvariantCulture);
        var top = double.Parse(frame.Attribute("y")!.Value, CultureInfo.InvariantCulture);
        var right = left + double.Parse(frame.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        var bottom = top + double.Parse(frame.Attribute("height")!.Value, CultureInfo.InvariantCulture);
        var points = Points(doc.Descendants(Svg + "polyline").Single());

        points.Should().OnlyContain(p => p.X > left && p.X < right && p.Y > top && p.Y < bottom);
        points.Select(p => p.X).Should().BeInAscendingOrder();
        // Larger values are higher up: the first loss (largest) is above the last one.
        points[0].Y.Should().BeLessThan(points[^1].Y);
    }

    [Fact]
    public void Smoothing_keeps_the_point_count_and_reduces_the_jitter()
    {
        var (steps, d, _) = Losses(1000);
        var raw = new LinePlot();
        raw.AddSeries("D", steps, d);
        var smooth = new LinePlot { SmoothingWindow = 25 };
        smooth.AddSeries("D", steps, d);

        var rawPoints = Points(XDocument.Parse(raw.ToSvg()).Descendants(Svg + "polyline").Single());
        var smoothPoints = Points(XDocument.Parse(smooth.ToSvg()).Descendants(Svg + "polyline").Single());

        smoothPoints.Should().HaveCount(rawPoints.Count);
        static double Jitter(List<(double X, double Y)> p) => p.Zip(p.Skip(1), (a, b) => Math.Abs(a.Y - b.Y)).Sum();
        Jitter(smoothPoints).Should().BeLessThan(Jitter(rawPoints) / 3);
    }

    [Fact]
    public void Single_point_series_is_drawn_as_a_dot()
    {
        var plot = new LinePlot();
        plot.AddSeries("only", [5.0], [0.25]);

        var doc = XDocument.Parse(plot.ToSvg());

        Points(doc.Descendants(Svg + "polyline").Single()).Should().HaveCount(1);
        doc.Descendants(Svg + "circle").Should().ContainSingle();
    }

    [Fact]
    public void Constant_series_is_a_horizontal_line_in_the_middle_of_the_plot()
    {
        var plot = new LinePlot();
        plot.AddSeries("flat", [0, 1, 2, 3], [0.7, 0.7, 0.7, 0.7]);

        var doc = XDocument.Parse(plot.ToSvg());
        var points = Points(doc.Descendants(Svg + "polyline").Single());
        var frame = doc.Descendants(Svg + "g").Single(e => (string?)e.Attribute("class") == "axes").Element(Svg + "rect")!;
        var top = double.Parse(frame.Attribute("y")!.Value, CultureInfo.InvariantCulture);
        var height = double.Parse(frame.Attribute("height")!.Value, CultureInfo.InvariantCulture);

        points.Select(p => p.Y).Distinct().Should().ContainSingle();
        points[0].Y.Should().BeApproximately(top + (height / 2), 1.0);
    }

    [Fact]
    public void Svg_file_is_written_as_utf8_without_bom()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gencluster-plot-{Guid.NewGuid():N}.svg");
        var plot = new LinePlot { Title = "ü" };
        plot.AddSeries("a", [1.0, 2.0]);
        try
        {
            plot.SaveSvg(path);

            var bytes = File.ReadAllBytes(path);
            bytes[0].Should().Be((byte)'<');
            XDocument.Load(path).Root!.Element(Svg + "title")!.Value.Should().Be("ü");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
