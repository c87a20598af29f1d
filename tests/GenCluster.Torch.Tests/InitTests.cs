using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>nn.init and the default initialisation of layers.</summary>
public class InitTests
{
    private static (double Mean, double Std) Stats(double[] values)
    {
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)));
    }

    /// <summary>Checks U(-bound, bound): inside the bounds, reaching close to both, std ≈ bound/√3.</summary>
    private static void ShouldBeUniform(double[] values, double bound, double stdTolerance = 0.05)
    {
        values.Should().OnlyContain(v => v >= -bound && v <= bound);

        // n uniform samples all stay below bound·(1 - 30/n) with probability ≈ e^-15: a too-small bound is caught.
        values.Length.Should().BeGreaterThanOrEqualTo(100, "too few samples to check how far they reach");
        var reach = bound * (1 - (30.0 / values.Length));
        values.Max().Should().BeGreaterThan(reach);
        values.Min().Should().BeLessThan(-reach);
        if (values.Length >= 1000)
        {
            var (mean, std) = Stats(values);
            mean.Should().BeApproximately(0, bound * 0.05);
            std.Should().BeApproximately(bound / Math.Sqrt(3), bound / Math.Sqrt(3) * stdTolerance);
        }
    }

    [Fact]
    public void Fan_in_and_fan_out_follow_pytorch()
    {
        using var scope = NewDisposeScope();
        nn.init.calculate_fan_in_and_fan_out(empty([5, 3])).Should().Be((3L, 5L));
        nn.init.calculate_fan_in_and_fan_out(empty([8, 4, 3, 2])).Should().Be((4L * 6, 8L * 6));
        FluentActions.Invoking(() => nn.init.calculate_fan_in_and_fan_out(empty([5]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Linear_default_init_is_uniform_within_one_over_sqrt_fan_in()
    {
        manual_seed(100);
        using var layer = nn.Linear(100, 300);
        var bound = 1 / Math.Sqrt(100);
        ShouldBeUniform(layer.weight.Values(), bound);
        ShouldBeUniform(layer.bias!.Values(), bound);
    }

    [Fact]
    public void Conv_default_inits_use_the_receptive_field_fan_in()
    {
        manual_seed(101);
        using var conv = nn.Conv2d(16, 256, 3);
        var bound = 1 / Math.Sqrt(16 * 9);
        ShouldBeUniform(conv.weight.Values(), bound);
        ShouldBeUniform(conv.bias!.Values(), bound, stdTolerance: 0.3);

        // transposed weights are in × out × k × k, so PyTorch's fan_in is out·k·k
        using var deconv = nn.ConvTranspose2d(16, 128, 4);
        var deconvBound = 1 / Math.Sqrt(128 * 16);
        ShouldBeUniform(deconv.weight.Values(), deconvBound);
        ShouldBeUniform(deconv.bias!.Values(), deconvBound, stdTolerance: 0.3);
    }

    [Theory]
    [InlineData(0.0, FanMode.FanIn)]
    [InlineData(0.2, FanMode.FanIn)]
    [InlineData(0.0, FanMode.FanOut)]
    public void Kaiming_inits_have_the_he_standard_deviation(double a, FanMode mode)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var w = empty([200, 50, 2, 2], float64);
        var fan = mode == FanMode.FanIn ? 50 * 4 : 200 * 4;
        var std = Math.Sqrt(2.0 / (1 + (a * a))) / Math.Sqrt(fan);

        var normal = nn.init.kaiming_normal_(w, a, mode, g).Values();
        var (mean, s) = Stats(normal);
        mean.Should().BeApproximately(0, std * 0.02);
        s.Should().BeApproximately(std, std * 0.02);

        var uniform = nn.init.kaiming_uniform_(w, a, mode, g).Values();
        ShouldBeUniform(uniform, Math.Sqrt(3) * std, stdTolerance: 0.02);
    }

    [Fact]
    public void Xavier_inits_have_the_glorot_standard_deviation()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(2);
        var w = empty([300, 100], float64);
        var std = Math.Sqrt(2.0 / (300 + 100));

        var normal = nn.init.xavier_normal_(w, generator: g).Values();
        Stats(normal).Std.Should().BeApproximately(std, std * 0.02);

        var gained = nn.init.xavier_normal_(w, gain: 2, generator: g).Values();
        Stats(gained).Std.Should().BeApproximately(2 * std, 2 * std * 0.02);

        var uniform = nn.init.xavier_uniform_(w, generator: g).Values();
        ShouldBeUniform(uniform, Math.Sqrt(6.0 / 400), stdTolerance: 0.02);
    }

    [Fact]
    public void Basic_initialisers_fill_in_place_without_recording_gradients()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        var w = empty([20000], float64, requires_grad: true);
        nn.init.normal_(w, 3, 2, g).Should().BeSameAs(w);
        var (mean, std) = Stats(w.Values());
        mean.Should().BeApproximately(3, 0.06);
        std.Should().BeApproximately(2, 0.04);
        w.is_leaf.Should().BeTrue("initialisation is not recorded by autograd");

        nn.init.uniform_(w, 1, 4, g);
        var u = w.Values();
        u.Should().OnlyContain(v => v >= 1 && v < 4);
        u.Average().Should().BeApproximately(2.5, 0.03);

        nn.init.constant_(w, 0.75).Values().Should().OnlyContain(v => v == 0.75);
        nn.init.zeros_(w).Values().Should().OnlyContain(v => v == 0);
        nn.init.ones_(w).Values().Should().OnlyContain(v => v == 1);
        w.grad.Should().BeNull();
    }

    [Fact]
    public void Seeded_generators_make_initialisation_reproducible()
    {
        using var scope = NewDisposeScope();
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        var a = nn.init.kaiming_uniform_(empty([10, 10]), generator: g1).ToArray<float>();
        var b = nn.init.kaiming_uniform_(empty([10, 10]), generator: g2).ToArray<float>();
        b.Should().Equal(a);

        manual_seed(77);
        using var l1 = nn.Linear(4, 4);
        manual_seed(77);
        using var l2 = nn.Linear(4, 4);
        l2.weight.ToArray<float>().Should().Equal(l1.weight.ToArray<float>());
        l2.bias!.ToArray<float>().Should().Equal(l1.bias!.ToArray<float>());
        using var l3 = nn.Linear(4, 4);
        l3.weight.ToArray<float>().Should().NotEqual(l1.weight.ToArray<float>());
    }
}
