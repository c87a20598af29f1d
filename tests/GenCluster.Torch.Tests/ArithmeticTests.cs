using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Element-wise arithmetic, comparisons and math; expected values computed in C# from the input arrays.</summary>
public class ArithmeticTests
{
    private static readonly double[] A = T.Doubles(12, 1, -2, 2);
    private static readonly double[] B = T.AwayFromZero(12, 2, 0.3, 2);
    private static readonly double[] Row = T.AwayFromZero(4, 3, 0.3, 2);
    private static readonly double[] Column = T.AwayFromZero(3, 4, 0.3, 2);

    /// <summary>Broadcasts a [3,4] array against a [4] row, a [3,1] column or a [3,4] array.</summary>
    private static double[] Broadcast(double[] a, double[] b, Func<double, double, double> op) =>
        Enumerable.Range(0, 12).Select(i => op(a[i], b.Length switch
        {
            12 => b[i],
            4 => b[i % 4],
            3 => b[i / 4],
            _ => throw new ArgumentException("unsupported shape"),
        })).ToArray();

    private static Tensor Of(double[] values) => values.Length switch
    {
        12 => T.F64(values, 3, 4),
        4 => T.F64(values, 4),
        3 => T.F64(values, 3, 1),
        _ => throw new ArgumentException("unsupported shape"),
    };

    public static TheoryData<string, int> BinaryCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in new[] { "add", "add_alpha", "sub", "sub_alpha", "mul", "div", "pow", "maximum", "minimum", "+", "-", "*", "/" })
        {
            foreach (var other in new[] { 12, 4, 3 })
            {
                data.Add(op, other);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_ops_broadcast_and_compute(string op, int otherLength)
    {
        using var scope = NewDisposeScope();
        var other = otherLength switch { 12 => B, 4 => Row, _ => Column };
        var positiveA = A.Select(Math.Abs).ToArray();
        var a = Of(op == "pow" ? positiveA : A);
        var b = Of(other);
        var (result, expected) = op switch
        {
            "add" => (a.add(b), Broadcast(A, other, (x, y) => x + y)),
            "add_alpha" => (a.add(b, alpha: -0.5), Broadcast(A, other, (x, y) => x - (0.5 * y))),
            "sub" => (a.sub(b), Broadcast(A, other, (x, y) => x - y)),
            "sub_alpha" => (a.sub(b, alpha: 3), Broadcast(A, other, (x, y) => x - (3 * y))),
            "mul" => (a.mul(b), Broadcast(A, other, (x, y) => x * y)),
            "div" => (a.div(b), Broadcast(A, other, (x, y) => x / y)),
            "pow" => (a.pow(b), Broadcast(positiveA, other, Math.Pow)),
            "maximum" => (a.maximum(b), Broadcast(A, other, Math.Max)),
            "minimum" => (a.minimum(b), Broadcast(A, other, Math.Min)),
            "+" => (a + b, Broadcast(A, other, (x, y) => x + y)),
            "-" => (a - b, Broadcast(A, other, (x, y) => x - y)),
            "*" => (a * b, Broadcast(A, other, (x, y) => x * y)),
            "/" => (a / b, Broadcast(A, other, (x, y) => x / y)),
            _ => throw new ArgumentException(op),
        };
        result.dtype.Should().Be(ScalarType.Float64);
        result.ShouldEqual(expected, [3, 4], atol: 1e-12, rtol: 1e-12);
    }

    [Fact]
    public void Binary_ops_commute_broadcast_shapes()
    {
        using var scope = NewDisposeScope();
        var column = T.F64(Column, 3, 1);
        var row = T.F64(Row, 1, 4);
        var sum = column.add(row);
        var expected = Enumerable.Range(0, 12).Select(i => Column[i / 4] + Row[i % 4]).ToArray();
        sum.ShouldEqual(expected, [3, 4]);
    }

    [Theory]
    [InlineData("add", 1.25)]
    [InlineData("sub", 1.25)]
    [InlineData("rsub", 1.25)]
    [InlineData("mul", -1.5)]
    [InlineData("div", 0.4)]
    [InlineData("pow", 3.0)]
    [InlineData("pow", 0.5)]
    [InlineData("+left", 2.0)]
    [InlineData("+right", 2.0)]
    [InlineData("-right", 2.0)]
    [InlineData("*left", 2.0)]
    [InlineData("*right", 2.0)]
    [InlineData("/right", 2.0)]
    public void Scalar_ops_compute(string op, double s)
    {
        using var scope = NewDisposeScope();
        var input = op == "pow" ? A.Select(Math.Abs).ToArray() : A;
        var a = T.F64(input, 3, 4);
        var (result, f) = op switch
        {
            "add" => (a.add(s), (Func<double, double>)(x => x + s)),
            "sub" => (a.sub(s), x => x - s),
            "rsub" => (s - a, x => s - x),
            "mul" => (a.mul(s), x => x * s),
            "div" => (a.div(s), x => x / s),
            "pow" => (a.pow(s), x => Math.Pow(x, s)),
            "+left" => (s + a, x => s + x),
            "+right" => (a + s, x => x + s),
            "-right" => (a - s, x => x - s),
            "*left" => (s * a, x => s * x),
            "*right" => (a * s, x => x * s),
            "/right" => (a / s, x => x / s),
            _ => throw new ArgumentException(op),
        };
        result.ShouldEqual(input.Select(f).ToArray(), [3, 4], atol: 1e-12, rtol: 1e-12);
    }

    [Theory]
    [InlineData("neg")]
    [InlineData("unary-")]
    [InlineData("abs")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sqrt")]
    [InlineData("square")]
    [InlineData("sin")]
    [InlineData("cos")]
    [InlineData("sign")]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("clamp")]
    public void Unary_ops_compute(string op)
    {
        using var scope = NewDisposeScope();
        var input = op is "log" or "sqrt" ? A.Select(x => Math.Abs(x) + 0.01).ToArray() : A.Append(0.0).ToArray();
        var a = T.F64(input);
        var (result, f) = op switch
        {
            "neg" => (a.neg(), (Func<double, double>)(x => -x)),
            "unary-" => (-a, x => -x),
            "abs" => (a.abs(), Math.Abs),
            "exp" => (a.exp(), Math.Exp),
            "log" => (a.log(), Math.Log),
            "sqrt" => (a.sqrt(), Math.Sqrt),
            "square" => (a.square(), x => x * x),
            "sin" => (a.sin(), Math.Sin),
            "cos" => (a.cos(), Math.Cos),
            "sign" => (a.sign(), x => Math.Sign(x)),
            "relu" => (a.relu(), x => Math.Max(0, x)),
            "tanh" => (a.tanh(), Math.Tanh),
            "sigmoid" => (a.sigmoid(), T.Sigmoid),
            "clamp" => (a.clamp(-0.5, 0.75), x => Math.Clamp(x, -0.5, 0.75)),
            _ => throw new ArgumentException(op),
        };
        result.ShouldEqual(input.Select(f).ToArray(), [input.Length], atol: 1e-12, rtol: 1e-12);
    }

    [Fact]
    public void Float32_math_matches_double_reference_within_float_precision()
    {
        using var scope = NewDisposeScope();
        var a = T.F32(A.ToFloats(), 3, 4);
        var b = T.F32(B.ToFloats(), 3, 4);
        var result = a.mul(b).add(a.exp());
        result.dtype.Should().Be(ScalarType.Float32);
        var af = A.ToFloats();
        var bf = B.ToFloats();
        var expected = Enumerable.Range(0, 12).Select(i => ((double)af[i] * bf[i]) + Math.Exp(af[i])).ToArray();
        result.Values().ShouldBeClose(expected, atol: 1e-5, rtol: 1e-6);
    }

    [Fact]
    public void Integer_arithmetic_stays_integral()
    {
        using var scope = NewDisposeScope();
        var a = T.I64([7, -7, 3]);
        var b = T.I64([2, 2, 5]);
        var sum = a.add(b);
        sum.dtype.Should().Be(ScalarType.Int64);
        sum.ToArray<long>().Should().Equal(9, -5, 8);
        a.mul(b).ToArray<long>().Should().Equal(14, -14, 15);
        var quotient = a.div(b); // true division promotes to float, as in PyTorch
        quotient.dtype.Should().Be(ScalarType.Float32);
        quotient.ToArray<float>().Should().Equal(3.5f, -3.5f, 0.6f);

        a.sub(b).ToArray<long>().Should().Equal(5, -9, -2);
        a.add(b, alpha: 3).ToArray<long>().Should().Equal(13, -1, 18);
        a.sub(b, alpha: -2).ToArray<long>().Should().Equal(11, -3, 13);
        (a + b).dtype.Should().Be(ScalarType.Int64);
        (a - b).ToArray<long>().Should().Equal(5, -9, -2);
        FluentActions.Invoking(() => a.add(b, alpha: 0.5)).Should().Throw<TorchException>()
            .WithMessage("*alpha must not be a floating point number*");

        // whole-number scalars keep integer tensors integral; fractional ones promote, as in PyTorch
        var plusOne = a.add(1);
        plusOne.dtype.Should().Be(ScalarType.Int64);
        plusOne.ToArray<long>().Should().Equal(8, -6, 4);
        a.mul(3).ToArray<long>().Should().Equal(21, -21, 9);
        (10 - a).ToArray<long>().Should().Equal(3, 17, 7);
        var half = a.add(0.5);
        half.dtype.Should().Be(ScalarType.Float32);
        half.ToArray<float>().Should().Equal(7.5f, -6.5f, 3.5f);

        var counter = zeros([2], int64);
        counter.add_(1).add_(T.I64([2, 3])).add_(T.I64([1, 1]), alpha: 4);
        counter.dtype.Should().Be(ScalarType.Int64);
        counter.ToArray<long>().Should().Equal(7, 8);
        FluentActions.Invoking(() => counter.add_(0.5)).Should().Throw<TorchException>().WithMessage("*can't be cast to the desired output type Long*");
        var mixed = T.F32([0.5f, 1.5f]).add(T.I64([1, 2]), alpha: 2);
        mixed.dtype.Should().Be(ScalarType.Float32);
        mixed.ToArray<float>().Should().Equal(2.5f, 5.5f);
        T.I64([1, 2]).add(T.F32([0.5f, 1.5f])).ToArray<float>().Should().Equal(1.5f, 3.5f);
    }

    [Theory]
    [InlineData("eq")]
    [InlineData("ne")]
    [InlineData("gt")]
    [InlineData("ge")]
    [InlineData("lt")]
    [InlineData("le")]
    public void Comparisons_return_bool_tensors(string op)
    {
        using var scope = NewDisposeScope();
        double[] x = [1, 2, 3, 4, 5, 2];
        double[] y = [1, 3, 2, 4, 6, 1];
        var a = T.F64(x);
        var b = T.F64(y);
        var (result, f) = op switch
        {
            "eq" => (a.eq(b), (Func<double, double, bool>)((p, q) => p == q)),
            "ne" => (a.ne(b), (p, q) => p != q),
            "gt" => (a.gt(b), (p, q) => p > q),
            "ge" => (a.ge(b), (p, q) => p >= q),
            "lt" => (a.lt(b), (p, q) => p < q),
            "le" => (a.le(b), (p, q) => p <= q),
            _ => throw new ArgumentException(op),
        };
        result.dtype.Should().Be(ScalarType.Bool);
        result.ToArray<bool>().Should().Equal(x.Zip(y, f));
    }

    [Fact]
    public void Scalar_comparisons_return_bool_tensors()
    {
        using var scope = NewDisposeScope();
        double[] x = [1, 2, 3, 2];
        var a = T.F64(x);
        a.eq(2).ToArray<bool>().Should().Equal(x.Select(v => v == 2));
        a.gt(1.5).ToArray<bool>().Should().Equal(x.Select(v => v > 1.5));
        a.lt(2.5).ToArray<bool>().Should().Equal(x.Select(v => v < 2.5));
    }

    [Fact]
    public void Where_selects_by_condition_with_broadcasting()
    {
        using var scope = NewDisposeScope();
        var condition = tensor(new[] { true, false, false, true, true, false }, [2, 3]);
        var a = T.F64(A.Take(6).ToArray(), 2, 3);
        var b = T.F64([10, 20, 30]);
        bool[] c = [true, false, false, true, true, false];
        var expected = Enumerable.Range(0, 6).Select(i => c[i] ? A[i] : 10 * ((i % 3) + 1)).ToArray();
        where(condition, a, b).ShouldEqual(expected, [2, 3]);
    }

    [Fact]
    public void In_place_ops_modify_the_tensor_and_return_it()
    {
        using var scope = NewDisposeScope();
        var t = T.F64(A, 3, 4);
        var b = T.F64(Row);
        t.add_(b, alpha: 2).Should().BeSameAs(t);
        var expected = Broadcast(A, Row, (x, y) => x + (2 * y));
        t.Values().ShouldBeClose(expected, 1e-12);

        t.mul_(b).Should().BeSameAs(t);
        expected = Broadcast(expected, Row, (x, y) => x * y);
        t.Values().ShouldBeClose(expected, 1e-12);

        t.add_(0.5).Should().BeSameAs(t);
        t.mul_(-2).Should().BeSameAs(t);
        expected = expected.Select(x => (x + 0.5) * -2).ToArray();
        t.Values().ShouldBeClose(expected, 1e-12);

        t.copy_(b).Should().BeSameAs(t); // broadcasts the row into every row
        t.Values().ShouldBeClose(Broadcast(new double[12], Row, (_, y) => y), 0);

        var f32 = zeros([4]);
        f32.copy_(b); // casts float64 → float32
        f32.ToArray<float>().Should().Equal(Row.ToFloats());

        t.fill_(3.25).Should().BeSameAs(t);
        t.Values().Should().OnlyContain(v => v == 3.25);
        t.zero_().Should().BeSameAs(t);
        t.Values().Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void In_place_random_fills_have_the_requested_distribution()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var n = zeros([20000], float64).normal_(2, 0.5, g).ToArray<double>();
        n.Average().Should().BeApproximately(2, 0.02);
        Math.Sqrt(n.Select(v => (v - 2) * (v - 2)).Average()).Should().BeApproximately(0.5, 0.02);

        var u = zeros([20000], float64).uniform_(-3, -1, g).ToArray<double>();
        u.Should().OnlyContain(v => v >= -3 && v < -1);
        u.Average().Should().BeApproximately(-2, 0.02);
        u.Count(v => v < -2.5).Should().BeInRange(4700, 5300);
    }

    [Fact]
    public void In_place_op_with_incompatible_shape_throws_and_leaves_tensor_unchanged()
    {
        using var scope = NewDisposeScope();
        var t = T.F64([1, 2, 3]);
        var act = () => t.add_(T.F64([1, 2]));
        act.Should().Throw<TorchException>().WithMessage("*size of tensor a (3) must match the size of tensor b (2)*");
        t.ToArray<double>().Should().Equal(1.0, 2.0, 3.0);
    }
}
