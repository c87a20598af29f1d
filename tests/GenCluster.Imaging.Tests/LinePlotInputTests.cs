namespace GenCluster.Imaging.Tests;

public class LinePlotInputTests
{
    [Fact]
    public void Empty_series_is_rejected_with_its_name()
    {
        var act = () => new LinePlot().AddSeries("D loss", []);

        act.Should().Throw<ArgumentException>().WithMessage("*'D loss' has no points*");
    }

    [Fact]
    public void Series_without_any_finite_point_is_rejected()
    {
        var act = () => new LinePlot().AddSeries("G loss", [double.NaN, double.PositiveInfinity]);

        act.Should().Throw<ArgumentException>().WithMessage("*'G loss'*none with finite*");
    }

    [Fact]
    public void Mismatched_x_and_y_lengths_are_rejected()
    {
        var act = () => new LinePlot().AddSeries("s", [1, 2, 3], [1, 2]);

        act.Should().Throw<ArgumentException>().WithMessage("*3 x values but 2 y values*");
    }

    [Fact]
    public void Null_name_is_rejected()
    {
        var act = () => new LinePlot().AddSeries(null!, [1.0]);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Rendering_without_series_is_an_invalid_operation()
    {
        var plot = new LinePlot();

        plot.Invoking(p => p.ToSvg()).Should().Throw<InvalidOperationException>().WithMessage("*no series*");
        plot.Invoking(p => p.Render()).Should().Throw<InvalidOperationException>().WithMessage("*no series*");
    }

    [Theory]
    [InlineData(99, 500)]
    [InlineData(800, 0)]
    [InlineData(20000, 500)]
    public void Out_of_range_sizes_are_rejected(int width, int height)
    {
        var act = () => new LinePlot(width, height);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Out_of_range_settings_are_rejected()
    {
        var plot = new LinePlot();

        plot.Invoking(p => p.SmoothingWindow = 0).Should().Throw<ArgumentOutOfRangeException>();
        plot.Invoking(p => p.TextScale = 0).Should().Throw<ArgumentOutOfRangeException>();
        plot.Invoking(p => p.TextScale = 9).Should().Throw<ArgumentOutOfRangeException>();
        plot.Invoking(p => p.LineWidth = double.NaN).Should().Throw<ArgumentOutOfRangeException>();
        plot.Invoking(p => p.LineWidth = 0.1).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Text_too_large_for_the_plot_is_reported_not_drawn_over()
    {
        var plot = new LinePlot(100, 100) { TextScale = 8, Title = "t", XLabel = "x" };
        plot.AddSeries("s", [1.0, 2.0]);

        plot.Invoking(p => p.Render()).Should().Throw<InvalidOperationException>().WithMessage("*make the plot larger*");
    }

    [Fact]
    public void Added_values_are_copied()
    {
        double[] y = [1, 2, 3];
        var plot = new LinePlot();
        plot.AddSeries("s", y);
        var before = plot.ToSvg();

        y[1] = 100;

        plot.ToSvg().Should().Be(before);
    }

    [Fact]
    public void Index_is_the_default_x()
    {
        var a = new LinePlot();
        a.AddSeries("s", [5.0, 6.0, 7.0]);
        var b = new LinePlot();
        b.AddSeries("s", [0.0, 1.0, 2.0], [5.0, 6.0, 7.0]);

        a.ToSvg().Should().Be(b.ToSvg());
    }
}
