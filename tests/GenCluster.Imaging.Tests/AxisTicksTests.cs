namespace GenCluster.Imaging.Tests;

public class AxisTicksTests
{
    [Theory]
    [InlineData(0.23, 0.2)]
    [InlineData(0.37, 0.5)]
    [InlineData(1.2, 1)]
    [InlineData(7.5, 10)]
    [InlineData(1800, 2000)]
    [InlineData(4e-7, 5e-7)]
    public void Steps_are_rounded_to_1_2_or_5_times_a_power_of_ten(double raw, double expected)
    {
        AxisTicks.NiceStep(raw).Step.Should().BeApproximately(expected, expected * 1e-12);
    }

    [Fact]
    public void Ticks_cover_the_data_with_nice_values_inside_the_axis()
    {
        var ticks = AxisTicks.Compute(0, 10, 5, margin: 0);

        ticks.Values.Should().Equal(0, 2, 4, 6, 8, 10);
        ticks.Labels.Should().Equal("0", "2", "4", "6", "8", "10");
        ticks.Min.Should().Be(0);
        ticks.Max.Should().Be(10);
    }

    [Fact]
    public void Decimal_labels_do_not_show_floating_point_noise()
    {
        var ticks = AxisTicks.Compute(0.1, 0.7, 6, margin: 0);

        ticks.Labels.Should().Equal("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7");
    }

    [Fact]
    public void Margin_extends_the_axis_beyond_the_data()
    {
        var ticks = AxisTicks.Compute(1, 2, 5, margin: 0.05);

        ticks.Min.Should().BeApproximately(0.95, 1e-12);
        ticks.Max.Should().BeApproximately(2.05, 1e-12);
        ticks.Values.Should().OnlyContain(v => v >= ticks.Min && v <= ticks.Max);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(0.0)]
    [InlineData(-1e-9)]
    [InlineData(123456.0)]
    public void Constant_data_gets_a_non_empty_range_around_the_value(double value)
    {
        var ticks = AxisTicks.Compute(value, value, 5, margin: 0.03);

        ticks.Max.Should().BeGreaterThan(ticks.Min);
        ticks.Min.Should().BeLessThan(value);
        ticks.Max.Should().BeGreaterThan(value);
        ticks.Values.Should().NotBeEmpty();
        ticks.Labels.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Symmetric_range_has_a_plain_zero_label_not_minus_zero()
    {
        var ticks = AxisTicks.Compute(-1, 1, 4, margin: 0);

        ticks.Labels.Should().Contain("0.0").And.NotContain(l => l.StartsWith("-0", StringComparison.Ordinal) && l.Trim('-', '0', '.').Length == 0);
    }

    [Fact]
    public void Tiny_and_huge_values_use_scientific_notation()
    {
        var tiny = AxisTicks.Compute(1e-5, 3e-5, 4, margin: 0);
        var huge = AxisTicks.Compute(0, 3e6, 3, margin: 0);

        tiny.Labels.Should().Equal("1.0e-5", "1.5e-5", "2.0e-5", "2.5e-5", "3.0e-5");
        huge.Labels.Should().Equal("0", "1e+6", "2e+6", "3e+6");
    }

    [Fact]
    public void Small_variation_on_a_large_offset_keeps_labels_distinct()
    {
        var ticks = AxisTicks.Compute(1_000_000.0, 1_000_000.4, 4, margin: 0);

        ticks.Labels.Should().OnlyHaveUniqueItems();
        ticks.Labels.Count.Should().BeGreaterThan(2);
    }

    [Fact]
    public void Unrepresentably_wide_range_is_reported()
    {
        var act = () => AxisTicks.Compute(-double.MaxValue, double.MaxValue, 5, margin: 0);

        act.Should().Throw<InvalidOperationException>().WithMessage("*too wide*");
    }
}
