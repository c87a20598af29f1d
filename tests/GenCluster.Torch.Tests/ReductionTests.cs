using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Reductions over all elements or given dimensions, and softmax.</summary>
public class ReductionTests
{
    private static readonly double[] X = T.Distinct(24, 30);

    private static Nd Ref => new(X, 2, 3, 4);

    private static Tensor Input => T.F64(X, 2, 3, 4);

    private static double Variance(List<double> values, bool unbiased)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - (unbiased ? 1 : 0));
    }

    [Fact]
    public void Sum_and_mean_over_all_elements()
    {
        using var scope = NewDisposeScope();
        var sum = Input.sum();
        sum.dim().Should().Be(0);
        sum.item<double>().ShouldBeCloseTo(X.Sum(), 1e-12);
        Input.mean().item<double>().ShouldBeCloseTo(X.Average(), 1e-12);
        T.I64([1, 2, 3]).sum().item<long>().Should().Be(6);
    }

    [Theory]
    [InlineData(new[] { 0 }, false)]
    [InlineData(new[] { 1 }, true)]
    [InlineData(new[] { 0, 2 }, false)]
    [InlineData(new[] { -1 }, false)]
    [InlineData(new[] { 0, 1, 2 }, true)]
    public void Sum_mean_and_var_over_dimensions(int[] dims, bool keepdim)
    {
        using var scope = NewDisposeScope();
        var positive = dims.Select(d => d < 0 ? d + 3 : d).ToArray();
        var longDims = dims.Select(d => (long)d).ToArray();

        var sum = Ref.Reduce(positive, keepdim, v => v.Sum());
        Input.sum(longDims, keepdim).ShouldEqual(sum.Data, sum.LongShape, 1e-12);

        var mean = Ref.Reduce(positive, keepdim, v => v.Average());
        Input.mean(longDims, keepdim).ShouldEqual(mean.Data, mean.LongShape, 1e-12);

        var unbiased = Ref.Reduce(positive, keepdim, v => Variance(v, true));
        Input.var(longDims, keepdim: keepdim).ShouldEqual(unbiased.Data, unbiased.LongShape, 1e-12);

        var biased = Ref.Reduce(positive, keepdim, v => Variance(v, false));
        Input.var(longDims, unbiased: false, keepdim: keepdim).ShouldEqual(biased.Data, biased.LongShape, 1e-12);
    }

    [Fact]
    public void Max_min_amax_and_argmax()
    {
        using var scope = NewDisposeScope();
        Input.max().item<double>().Should().Be(X.Max());
        Input.min().item<double>().Should().Be(X.Min());

        for (var dim = 0; dim < 3; dim++)
        {
            foreach (var keepdim in new[] { false, true })
            {
                var expected = Ref.Reduce([dim], keepdim, v => v.Max());
                Input.amax(dim, keepdim).ShouldEqual(expected.Data, expected.LongShape, 0, 0);

                var expectedIndex = Ref.Reduce([dim], keepdim, v => v.IndexOf(v.Max()));
                var argmax = Input.argmax(dim, keepdim);
                argmax.dtype.Should().Be(ScalarType.Int64);
                argmax.shape.Should().Equal(expectedIndex.LongShape);
                argmax.ToArray<long>().Select(i => (double)i).Should().Equal(expectedIndex.Data);
            }
        }
    }

    [Fact]
    public void Softmax_and_log_softmax_normalise_along_a_dimension()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(12, 31, -3, 3);
        var expected = Reference.SoftmaxRows(x, 3, 4);
        T.F64(x, 3, 4).softmax(1).ShouldEqual(expected, [3, 4], 1e-12);
        T.F64(x, 3, 4).softmax(-1).sum([1]).Values().ShouldBeClose([1, 1, 1], 1e-12);
        T.F64(x, 3, 4).log_softmax(1).ShouldEqual(Reference.SoftmaxRows(x, 3, 4, log: true), [3, 4], 1e-12);

        // along dim 0: transpose the reference
        var xt = new Nd(x, 3, 4).Permute(1, 0).Data;
        var expected0 = new Nd(Reference.SoftmaxRows(xt, 4, 3), 4, 3).Permute(1, 0).Data;
        T.F64(x, 3, 4).softmax(0).ShouldEqual(expected0, [3, 4], 1e-12);

        // large logits do not overflow
        T.F64([1000, 1001]).softmax(0).Values().ShouldBeClose(Reference.SoftmaxRows([1000, 1001], 1, 2), 1e-12);
    }
}
