using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Factories, host copies, properties and conversions.</summary>
public class CreationTests
{
    [Fact]
    public void Zeros_ones_full_have_shape_dtype_and_values()
    {
        using var scope = NewDisposeScope();
        var z = zeros([2, 3]);
        z.shape.Should().Equal(2, 3);
        z.dtype.Should().Be(ScalarType.Float32);
        z.ToArray<float>().Should().Equal(new float[6]);

        var o = ones([4], float64);
        o.dtype.Should().Be(ScalarType.Float64);
        o.ToArray<double>().Should().Equal(1.0, 1.0, 1.0, 1.0);

        var f = full([2, 2], 3.5);
        f.ToArray<float>().Should().Equal(3.5f, 3.5f, 3.5f, 3.5f);

        var fi = full([3], 7, int64);
        fi.dtype.Should().Be(ScalarType.Int64);
        fi.ToArray<long>().Should().Equal(7L, 7L, 7L);

        var s = scalar_tensor(2.25, float64);
        s.dim().Should().Be(0);
        s.shape.Should().BeEmpty();
        s.numel().Should().Be(1);
        s.item<double>().Should().Be(2.25);
    }

    [Fact]
    public void Empty_has_requested_shape_and_dtype()
    {
        using var scope = NewDisposeScope();
        var e = empty([3, 0, 2], int32);
        e.shape.Should().Equal(3, 0, 2);
        e.numel().Should().Be(0);
        e.dtype.Should().Be(ScalarType.Int32);
        e.ToArray<int>().Should().BeEmpty();

        var e2 = empty([5], requires_grad: true);
        e2.requires_grad.Should().BeTrue();
        e2.is_leaf.Should().BeTrue();
    }

    [Theory]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Bool)]
    [InlineData(ScalarType.BFloat16)]
    public void Factories_support_every_dtype(ScalarType type)
    {
        using var scope = NewDisposeScope();
        var o = ones([3], type);
        o.dtype.Should().Be(type);
        var asDouble = o.to(ScalarType.Float64).ToArray<double>();
        asDouble.Should().Equal(1.0, 1.0, 1.0);
        zeros([2], type).to(ScalarType.Float64).ToArray<double>().Should().Equal(0.0, 0.0);
    }

    [Fact]
    public void Tensor_copies_host_values_with_shape()
    {
        using var scope = NewDisposeScope();
        var values = new[] { 1.5f, -2f, 3f, 4.25f, 5f, 6f };
        var t = tensor(values, [2, 3]);
        t.shape.Should().Equal(2, 3);
        t.dtype.Should().Be(ScalarType.Float32);
        t.ToArray<float>().Should().Equal(values);

        values[0] = 100; // the tensor holds a copy
        t.ToArray<float>()[0].Should().Be(1.5f);

        var v = tensor(new long[] { 5, -6, 7 });
        v.shape.Should().Equal(3);
        v.dtype.Should().Be(ScalarType.Int64);
        v.ToArray<long>().Should().Equal(5, -6, 7);

        ReadOnlySpan<double> span = [1.0, 2.0, 3.0, 4.0];
        var fromSpan = tensor(span, [2, 2], requires_grad: true);
        fromSpan.requires_grad.Should().BeTrue();
        fromSpan.ToArray<double>().Should().Equal(1.0, 2.0, 3.0, 4.0);

        tensor(new[] { true, false }).dtype.Should().Be(ScalarType.Bool);
        tensor(new[] { true, false, true }).ToArray<bool>().Should().Equal(true, false, true);
        tensor(new int[] { 1, 2 }).dtype.Should().Be(ScalarType.Int32);
        tensor(new short[] { 1, -2 }).ToArray<short>().Should().Equal(1, -2);
        tensor(new sbyte[] { -1, 2 }).ToArray<sbyte>().Should().Equal(-1, 2);
        tensor(new byte[] { 255, 2 }).ToArray<byte>().Should().Equal(255, 2);
        tensor(new[] { (Half)1.5, (Half)(-0.25) }).ToArray<Half>().Should().Equal((Half)1.5, (Half)(-0.25));
    }

    [Fact]
    public void Arange_counts_by_step()
    {
        using var scope = NewDisposeScope();
        arange(5).ToArray<long>().Should().Equal(0, 1, 2, 3, 4);
        arange(2, 11, 3).ToArray<long>().Should().Equal(2, 5, 8);
        arange(0, 1, 0.25, float64).ToArray<double>().Should().Equal(0, 0.25, 0.5, 0.75);
        arange(5, -1, -2).ToArray<long>().Should().Equal(5, 3, 1);
        arange(3, float32).dtype.Should().Be(ScalarType.Float32);
    }

    [Fact]
    public void Randn_has_standard_normal_statistics()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var values = randn([20000], float64, generator: g).ToArray<double>();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Sum() / (values.Length - 1);
        mean.Should().BeApproximately(0, 0.03); // 4 standard errors (1/√20000 ≈ 0.007)
        variance.Should().BeApproximately(1, 0.05);
        values.Count(v => Math.Abs(v) < 1).Should().BeInRange(13200, 14100); // 68.3 %
        randn([2, 3], requires_grad: true).requires_grad.Should().BeTrue();
    }

    [Fact]
    public void Rand_is_uniform_in_unit_interval()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(12);
        var values = rand([20000], float64, generator: g).ToArray<double>();
        values.Should().OnlyContain(v => v >= 0 && v < 1);
        values.Average().Should().BeApproximately(0.5, 0.01);
        values.Count(v => v < 0.25).Should().BeInRange(4700, 5300);
    }

    [Fact]
    public void Randint_draws_every_value_in_the_half_open_range()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(13);
        var t = randint(-2, 3, [5000], generator: g);
        t.dtype.Should().Be(ScalarType.Int64);
        var values = t.ToArray<long>();
        values.Should().OnlyContain(v => v >= -2 && v < 3);
        values.Distinct().Order().Should().Equal(-2, -1, 0, 1, 2);
        values.GroupBy(v => v).Should().OnlyContain(group => group.Count() > 850 && group.Count() < 1150);
        randint(0, 10, [4], int32).dtype.Should().Be(ScalarType.Int32);
    }

    [Fact]
    public void Manual_seed_makes_default_generator_deterministic()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var a = randn([64]).ToArray<float>();
        var a2 = randn([64]).ToArray<float>();
        manual_seed(42);
        var b = randn([64]).ToArray<float>();
        manual_seed(43);
        var c = randn([64]).ToArray<float>();

        b.Should().Equal(a);
        a2.Should().NotEqual(a, "the stream advances");
        c.Should().NotEqual(a);
    }

    [Fact]
    public void Generators_are_deterministic_and_independent_of_the_default_generator()
    {
        using var scope = NewDisposeScope();
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var g3 = new Generator(8);
        var a = randn([32], generator: g1).ToArray<float>();
        manual_seed(999); // must not affect explicit generators
        randn([10]);
        var b = randn([32], generator: g2).ToArray<float>();
        var c = randn([32], generator: g3).ToArray<float>();
        b.Should().Equal(a);
        c.Should().NotEqual(a);

        var next = randn([32], generator: g1).ToArray<float>();
        next.Should().NotEqual(a);
        g1.manual_seed(7);
        randn([32], generator: g1).ToArray<float>().Should().Equal(a, "re-seeding restarts the stream");

        using var u1 = new Generator(5);
        using var u2 = new Generator(5);
        rand([16], generator: u1).ToArray<float>().Should().Equal(rand([16], generator: u2).ToArray<float>());
        randint(0, 100, [16], generator: u1).ToArray<long>().Should().Equal(randint(0, 100, [16], generator: u2).ToArray<long>());
        zeros([16]).normal_(0, 1, u1).ToArray<float>().Should().Equal(zeros([16]).normal_(0, 1, u2).ToArray<float>());
        zeros([16]).uniform_(-1, 1, u1).ToArray<float>().Should().Equal(zeros([16]).uniform_(-1, 1, u2).ToArray<float>());
    }

    [Fact]
    public void Properties_report_shape_size_and_layout()
    {
        using var scope = NewDisposeScope();
        var t = zeros([2, 3, 4]);
        t.dim().Should().Be(3);
        t.numel().Should().Be(24);
        t.size(0).Should().Be(2);
        t.size(-1).Should().Be(4);
        t.device.Should().Be(Device.CPU);
        t.is_contiguous().Should().BeTrue();
        t.transpose(0, 2).is_contiguous().Should().BeFalse();
        t.Invoking(x => x.size(3)).Should().Throw<ArgumentOutOfRangeException>();
        t.Invoking(x => x.size(-4)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Item_reads_one_element_in_any_supported_type()
    {
        using var scope = NewDisposeScope();
        scalar_tensor(2.5, float64).item<double>().Should().Be(2.5);
        scalar_tensor(2.5).item<float>().Should().Be(2.5f);
        full([1], 7, int64).item<long>().Should().Be(7);
        full([1, 1], -3, int32).item<int>().Should().Be(-3);
        full([], 200, uint8).item<byte>().Should().Be(200);
        tensor(new[] { true }).item<bool>().Should().BeTrue();
        tensor(new[] { false }).item<bool>().Should().BeFalse();
        scalar_tensor(1).Invoking(x => x.item<short>()).Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void ToArray_copies_non_contiguous_views_in_logical_order()
    {
        using var scope = NewDisposeScope();
        var t = T.F64([1, 2, 3, 4, 5, 6], 2, 3).t();
        t.ToArray<double>().Should().Equal(1.0, 4.0, 2.0, 5.0, 3.0, 6.0);
        t.Invoking(x => x.ToArray<float>()).Should().Throw<ArgumentException>().WithMessage("*float64*");
    }

    [Fact]
    public void Data_is_a_live_span_over_native_memory()
    {
        using var scope = NewDisposeScope();
        var t = zeros([4]);
        var span = t.data<float>();
        span.Length.Should().Be(4);
        span[2] = 5f;
        t.ToArray<float>().Should().Equal(0f, 0f, 5f, 0f);
        t.fill_(1);
        t.data<float>().ToArray().Should().Equal(1f, 1f, 1f, 1f);

        var transposed = zeros([2, 3]).t();
        transposed.Invoking(x => x.data<float>()).Should().Throw<InvalidOperationException>();
        t.Invoking(x => x.data<double>()).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void To_dtype_converts_values()
    {
        using var scope = NewDisposeScope();
        var f = T.F64([1.7, -2.7, 0.2]);
        var asInt = f.to(ScalarType.Int64);
        asInt.dtype.Should().Be(ScalarType.Int64);
        asInt.ToArray<long>().Should().Equal(1, -2, 0); // truncation toward zero, as in PyTorch
        f.to(ScalarType.Float32).ToArray<float>().Should().Equal(1.7f, -2.7f, 0.2f);
        f.to(ScalarType.Bool).ToArray<bool>().Should().Equal(true, true, true);
        var h = f.to(ScalarType.Float16).ToArray<Half>();
        h.Select(v => (double)v).ToArray().ShouldBeClose([1.7, -2.7, 0.2], atol: 2e-3);
        f.to(ScalarType.BFloat16).to(ScalarType.Float64).ToArray<double>().ShouldBeClose([1.7, -2.7, 0.2], atol: 1e-2);
    }

    [Fact]
    public void Clone_copies_storage_while_alias_and_detach_share_it()
    {
        using var scope = NewDisposeScope();
        var a = T.F32([1, 2, 3]);
        var clone = a.clone();
        var alias = a.alias();
        var detached = a.detach();
        a.fill_(9);
        clone.ToArray<float>().Should().Equal(1f, 2f, 3f);
        alias.ToArray<float>().Should().Equal(9f, 9f, 9f);
        detached.ToArray<float>().Should().Equal(9f, 9f, 9f);

        alias.Dispose();
        a.ToArray<float>().Should().Equal([9f, 9f, 9f], "disposing an alias frees only its handle");
    }

    [Fact]
    public void Contiguous_and_cpu_return_equal_values()
    {
        using var scope = NewDisposeScope();
        var t = T.F32([1, 2, 3, 4, 5, 6], 2, 3).t();
        var c = t.contiguous();
        c.is_contiguous().Should().BeTrue();
        c.shape.Should().Equal(3, 2);
        c.ToArray<float>().Should().Equal(1f, 4f, 2f, 5f, 3f, 6f);
        var cpu = c.cpu();
        cpu.device.Should().Be(Device.CPU);
        cpu.ToArray<float>().Should().Equal(c.ToArray<float>());
    }

    [Fact]
    public void Equal_and_allclose_compare_elements()
    {
        using var scope = NewDisposeScope();
        var a = T.F64([1, 2, 3]);
        a.equal(T.F64([1, 2, 3])).Should().BeTrue();
        a.equal(T.F64([1, 2, 3.0000001])).Should().BeFalse();
        a.equal(T.F64([1, 2, 3], 3, 1)).Should().BeFalse("shapes differ");
        a.allclose(T.F64([1, 2, 3.00000001])).Should().BeTrue();
        a.allclose(T.F64([1, 2, 3.1])).Should().BeFalse();
        a.allclose(T.F64([1, 2, 3.1]), rtol: 0.05).Should().BeTrue();
        a.allclose(T.F64([1.5, 2, 3]), rtol: 0, atol: 0.6).Should().BeTrue();
    }

    [Fact]
    public void ToString_shows_shape_dtype_and_small_values()
    {
        using var scope = NewDisposeScope();
        var t = T.F32([1.5f, -2f]);
        t.ToString().Should().Be("tensor([2], torch.float32, cpu, values=[1.5, -2])");
        zeros([20], int64).ToString().Should().Be("tensor([20], torch.int64, cpu)");
        t.Dispose();
        t.ToString().Should().Be("tensor(<disposed>)");
    }

    [Fact]
    public void Scalar_type_helpers_match_pytorch()
    {
        ScalarType.Float32.ElementSize().Should().Be(4);
        ScalarType.BFloat16.ElementSize().Should().Be(2);
        ScalarType.Bool.ElementSize().Should().Be(1);
        ScalarType.Int64.ElementSize().Should().Be(8);
        ScalarType.Float16.PyTorchName().Should().Be("torch.float16");
        ScalarType.Byte.PyTorchName().Should().Be("torch.uint8");
        ScalarTypes.Of<double>().Should().Be(ScalarType.Float64);
        ScalarTypes.Of<Half>().Should().Be(ScalarType.Float16);
        var act = () => ScalarTypes.Of<decimal>();
        act.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void Num_threads_round_trips_and_rejects_zero()
    {
        var original = get_num_threads();
        try
        {
            set_num_threads(2);
            get_num_threads().Should().Be(2);
            set_num_threads(1);
            get_num_threads().Should().Be(1);
            var act = () => set_num_threads(0);
            act.Should().Throw<TorchException>().WithMessage("*at least 1*");
            get_num_threads().Should().Be(1, "a rejected count leaves the setting unchanged");
            FluentActions.Invoking(() => set_num_threads(-3)).Should().Throw<TorchException>();
        }
        finally
        {
            set_num_threads(original);
        }
    }

    [Fact]
    public void Grad_mode_guards_nest_and_restore()
    {
        is_grad_enabled().Should().BeTrue();
        using (no_grad())
        {
            is_grad_enabled().Should().BeFalse();
            using (enable_grad())
            {
                is_grad_enabled().Should().BeTrue();
            }

            is_grad_enabled().Should().BeFalse();
        }

        is_grad_enabled().Should().BeTrue();
    }

    [Fact]
    public void Grad_mode_is_per_thread()
    {
        using var guard = no_grad();
        var other = false;
        var thread = new Thread(() => other = is_grad_enabled());
        thread.Start();
        thread.Join();
        other.Should().BeTrue();
        is_grad_enabled().Should().BeFalse();
    }
}
