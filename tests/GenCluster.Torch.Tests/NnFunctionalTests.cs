using static GenCluster.Torch.torch;
using F = GenCluster.Torch.torch.nn.functional;

namespace GenCluster.Torch.Tests;

/// <summary>nn.functional kernels against plain C# reference loops.</summary>
public class NnFunctionalTests
{
    [Fact]
    public void Linear_is_x_times_w_transposed_plus_bias()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(10, 1);
        var w = T.Doubles(6, 2);
        var b = T.Doubles(3, 3);
        var wt = new Nd(w, 3, 2).Permute(1, 0).Data;
        var expected = Reference.MatMul(x, wt, 5, 2, 3);
        var withBias = expected.Select((v, i) => v + b[i % 3]).ToArray();
        F.linear(T.F64(x, 5, 2), T.F64(w, 3, 2), T.F64(b)).ShouldEqual(withBias, [5, 3], 1e-12);
        F.linear(T.F64(x, 5, 2), T.F64(w, 3, 2)).ShouldEqual(expected, [5, 3], 1e-12);
        // leading batch dimensions are kept
        F.linear(T.F64(x, 5, 1, 2), T.F64(w, 3, 2), T.F64(b)).ShouldEqual(withBias, [5, 1, 3], 1e-12);
    }

    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(2, 1, 1, 2)]
    public void Conv2d_matches_direct_convolution(int stride, int padding, int dilation, int groups)
    {
        using var scope = NewDisposeScope();
        var x = new Nd(T.Doubles(2 * 4 * 7 * 6, 4), 2, 4, 7, 6);
        var w = new Nd(T.Doubles(6 * (4 / groups) * 3 * 3, 5), 6, 4 / groups, 3, 3);
        var b = T.Doubles(6, 6);
        var expected = Reference.Conv2d(x, w, b, stride, padding, dilation, groups);
        var y = F.conv2d(T.F64(x.Data, x.LongShape), T.F64(w.Data, w.LongShape), T.F64(b), stride, padding, dilation, groups);
        y.ShouldEqual(expected.Data, expected.LongShape, 1e-12);

        var noBias = Reference.Conv2d(x, w, null, stride, padding, dilation, groups);
        F.conv2d(T.F64(x.Data, x.LongShape), T.F64(w.Data, w.LongShape), null, stride, padding, dilation, groups)
            .ShouldEqual(noBias.Data, noBias.LongShape, 1e-12);

        // float32 path (im2col + BLAS / mkldnn)
        var y32 = F.conv2d(T.F32(x.Data.ToFloats(), x.LongShape), T.F32(w.Data.ToFloats(), w.LongShape), T.F32(b.ToFloats()), stride, padding, dilation, groups);
        y32.Values().ShouldBeClose(expected.Data, 1e-5, 1e-4);
    }

    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 0, 0)]
    [InlineData(3, 2, 1)]
    public void Conv_transpose2d_matches_scatter_reference(int stride, int padding, int outputPadding)
    {
        using var scope = NewDisposeScope();
        var x = new Nd(T.Doubles(2 * 3 * 4 * 4, 7), 2, 3, 4, 4);
        var w = new Nd(T.Doubles(3 * 2 * 4 * 4, 8), 3, 2, 4, 4);
        var b = T.Doubles(2, 9);
        var expected = Reference.ConvTranspose2d(x, w, b, stride, padding, outputPadding);
        var y = F.conv_transpose2d(T.F64(x.Data, x.LongShape), T.F64(w.Data, w.LongShape), T.F64(b), stride, padding, outputPadding);
        y.ShouldEqual(expected.Data, expected.LongShape, 1e-12);

        var y32 = F.conv_transpose2d(T.F32(x.Data.ToFloats(), x.LongShape), T.F32(w.Data.ToFloats(), w.LongShape), T.F32(b.ToFloats()), stride, padding, outputPadding);
        y32.Values().ShouldBeClose(expected.Data, 1e-5, 1e-4);
    }

    // A 1×1 input with no padding is a matrix product (a generator's latent projection), computed as one GEMM over the
    // batch; with padding or output padding it stays libtorch's kernel. Both must be the transposed convolution.
    [Theory]
    [InlineData(1, 0, 0, true)]
    [InlineData(2, 0, 0, true)]
    [InlineData(1, 0, 0, false)]
    [InlineData(1, 1, 0, true)]
    [InlineData(2, 0, 1, true)]
    public void Conv_transpose2d_of_a_1x1_input_matches_scatter_reference(int stride, int padding, int outputPadding, bool withBias)
    {
        using var scope = NewDisposeScope();
        var x = new Nd(T.Doubles(5 * 6, 21), 5, 6, 1, 1);
        var w = new Nd(T.Doubles(6 * 4 * 3 * 3, 22), 6, 4, 3, 3);
        var b = withBias ? T.Doubles(4, 23) : null;
        var expected = Reference.ConvTranspose2d(x, w, b, stride, padding, outputPadding);

        var y = F.conv_transpose2d(T.F64(x.Data, x.LongShape), T.F64(w.Data, w.LongShape), b is null ? null : T.F64(b), stride, padding, outputPadding);
        y.ShouldEqual(expected.Data, expected.LongShape, 1e-12);

        var y32 = F.conv_transpose2d(T.F32(x.Data.ToFloats(), x.LongShape), T.F32(w.Data.ToFloats(), w.LongShape), b is null ? null : T.F32(b.ToFloats()), stride, padding, outputPadding);
        y32.shape.Should().Equal(expected.LongShape);
        y32.Values().ShouldBeClose(expected.Data, 1e-5, 1e-4);
    }

    [Fact]
    public void Conv_transpose2d_of_a_1x1_input_refuses_what_libtorch_refuses()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 6, 1, 1]);
        var w = randn([6, 4, 3, 3]);

        FluentActions.Invoking(() => F.conv_transpose2d(x, w, randn([1]))).Should().Throw<TorchException>("a bias must have one value per output channel");
        FluentActions.Invoking(() => F.conv_transpose2d(randn([2, 5, 1, 1]), w)).Should().Throw<TorchException>("the input has 5 channels, the weight 6");
        FluentActions.Invoking(() => F.conv_transpose2d(x, w, stride: 0)).Should().Throw<TorchException>("a stride must be positive");
        // The oneDNN path's size (16 output channels) with an empty kernel.
        FluentActions.Invoking(() => F.conv_transpose2d(randn([2, 4, 3, 3]), randn([4, 16, 0, 0]))).Should().Throw<TorchException>("a kernel must not be empty");
    }

    // float32 transposed convolutions with 16 or more output channels per group go through oneDNN's convolution
    // backward (forward) and its double backward (gradients); float64 stays libtorch's own kernel. The two must agree.
    [Theory]
    [InlineData(2, 1, 0, 1, 1)] // DCGAN's upsampling
    [InlineData(2, 1, 1, 1, 1)]
    [InlineData(1, 0, 0, 1, 1)]
    [InlineData(3, 2, 2, 1, 1)]
    [InlineData(2, 1, 0, 2, 1)]
    [InlineData(2, 0, 1, 1, 2)]
    public void Conv_transpose2d_in_float32_matches_the_float64_kernel_with_gradients(int stride, int padding, int outputPadding, int dilation, int groups)
    {
        using var scope = NewDisposeScope();
        var (n, cin, cout, k, hw) = (3, 4 * groups, 16 * groups, 3, 5);
        var x64 = randn([n, cin, hw, hw], float64).requires_grad_();
        var w64 = randn([cin, cout / groups, k, k], float64).mul(0.2).detach().requires_grad_();
        var b64 = randn([cout], float64).requires_grad_();
        var x32 = x64.detach().to(float32).requires_grad_();
        var w32 = w64.detach().to(float32).requires_grad_();
        var b32 = b64.detach().to(float32).requires_grad_();

        var y64 = F.conv_transpose2d(x64, w64, b64, stride, padding, outputPadding, groups, dilation);
        var y32 = F.conv_transpose2d(x32, w32, b32, stride, padding, outputPadding, groups, dilation);
        var weights = randn(y64.shape, float64);
        y64.mul(weights).sum().backward();
        y32.mul(weights.to(float32)).sum().backward();

        y32.shape.Should().Equal(y64.shape);
        y32.Values().ShouldBeClose(y64.Values(), 1e-4, 1e-4, "the output");
        x32.grad!.Values().ShouldBeClose(x64.grad!.Values(), 1e-4, 1e-4, "the input's gradient");
        w32.grad!.Values().ShouldBeClose(w64.grad!.Values(), 1e-4, 1e-4, "the weight's gradient");
        b32.grad!.Values().ShouldBeClose(b64.grad!.Values(), 1e-4, 1e-4, "the bias's gradient");
    }

    [Fact]
    public void Conv_transpose2d_dcgan_upsampling_doubles_the_size()
    {
        using var scope = NewDisposeScope();
        var x = randn([1, 8, 7, 7]);
        var w = randn([8, 4, 4, 4]);
        F.conv_transpose2d(x, w, null, stride: 2, padding: 1).shape.Should().Equal(1, 4, 14, 14);
    }

    [Fact]
    public void Batch_norm_training_normalises_with_batch_statistics_and_updates_running_stats()
    {
        using var scope = NewDisposeScope();
        const int n = 4, c = 3, hw = 5;
        const double eps = 1e-5, momentum = 0.1;
        var x = new Nd(T.Doubles(n * c * hw, 10, -2, 3), n, c, hw);
        var gamma = T.Doubles(c, 11, 0.5, 2);
        var beta = T.Doubles(c, 12);
        double[] runMean0 = [0.1, -0.2, 0.3];
        double[] runVar0 = [1.5, 0.5, 2.0];
        var runningMean = T.F64(runMean0);
        var runningVar = T.F64(runVar0);

        var y = F.batch_norm(T.F64(x.Data, x.LongShape), runningMean, runningVar, T.F64(gamma), T.F64(beta), training: true, momentum, eps);

        var expected = new Nd(n, c, hw);
        var expectedRunMean = new double[c];
        var expectedRunVar = new double[c];
        for (var ch = 0; ch < c; ch++)
        {
            var values = Nd.Indices([n, hw]).Select(i => x[i[0], ch, i[1]]).ToList();
            var mean = values.Average();
            var biased = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
            var unbiased = biased * values.Count / (values.Count - 1);
            foreach (var i in Nd.Indices([n, hw]))
            {
                expected[i[0], ch, i[1]] = ((x[i[0], ch, i[1]] - mean) / Math.Sqrt(biased + eps) * gamma[ch]) + beta[ch];
            }

            expectedRunMean[ch] = ((1 - momentum) * runMean0[ch]) + (momentum * mean);
            expectedRunVar[ch] = ((1 - momentum) * runVar0[ch]) + (momentum * unbiased);
        }

        y.ShouldEqual(expected.Data, [n, c, hw], 1e-10);
        runningMean.Values().ShouldBeClose(expectedRunMean, 1e-12);
        runningVar.Values().ShouldBeClose(expectedRunVar, 1e-12);
    }

    [Fact]
    public void Batch_norm_eval_uses_running_statistics()
    {
        using var scope = NewDisposeScope();
        var x = new Nd(T.Doubles(2 * 3 * 2 * 2, 13), 2, 3, 2, 2);
        double[] mean = [0.5, -0.5, 0.0];
        double[] variance = [0.25, 4.0, 1.0];
        double[] gamma = [1.5, 0.5, -1.0];
        double[] beta = [0.0, 1.0, 2.0];
        var runningMean = T.F64(mean);
        var runningVar = T.F64(variance);
        var y = F.batch_norm(T.F64(x.Data, x.LongShape), runningMean, runningVar, T.F64(gamma), T.F64(beta), training: false, eps: 1e-3);
        var expected = Nd.Indices(x.Shape).Select(i => ((x[i] - mean[i[1]]) / Math.Sqrt(variance[i[1]] + 1e-3) * gamma[i[1]]) + beta[i[1]]).ToArray();
        y.ShouldEqual(expected, x.LongShape, 1e-12);
        runningMean.ToArray<double>().Should().Equal(mean, "evaluation leaves the statistics alone");
        runningVar.ToArray<double>().Should().Equal(variance);

        // no affine parameters
        var plain = F.batch_norm(T.F64(x.Data, x.LongShape), runningMean, runningVar, eps: 1e-3);
        var expectedPlain = Nd.Indices(x.Shape).Select(i => (x[i] - mean[i[1]]) / Math.Sqrt(variance[i[1]] + 1e-3)).ToArray();
        plain.ShouldEqual(expectedPlain, x.LongShape, 1e-12);
    }

    [Fact]
    public void Embedding_looks_up_rows_and_padding_row_gets_no_gradient()
    {
        using var scope = NewDisposeScope();
        var table = T.Doubles(15, 14);
        long[] idx = [4, 0, 2, 4, 1, 4];
        var expected = idx.SelectMany(i => table.Skip((int)i * 3).Take(3)).ToArray();
        F.embedding(T.I64(idx, 2, 3), T.F64(table, 5, 3)).ShouldEqual(expected, [2, 3, 3], 0, 0);
        F.embedding(tensor(idx.Select(i => (int)i).ToArray()), T.F64(table, 5, 3)).ShouldEqual(expected, [6, 3], 0, 0);

        var weight = T.F64(table, 5, 3).requires_grad_();
        F.embedding(T.I64(idx), weight, padding_idx: 4).sum().backward();
        var grad = weight.grad!.ToArray<double>();
        // row r receives one per occurrence, except the padding row
        double[] counts = [1, 1, 1, 0, 0];
        grad.Should().Equal(counts.SelectMany(c => Enumerable.Repeat(c, 3)));
    }

    [Fact]
    public void Dropout_zeroes_with_probability_p_and_rescales_survivors()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(21);
        const double p = 0.3;
        var x = T.Doubles(20000, 15, 0.5, 1.5);
        var y = F.dropout(T.F64(x), p, training: true, g).ToArray<double>();
        var dropped = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (y[i] == 0)
            {
                dropped++;
            }
            else
            {
                y[i].ShouldBeCloseTo(x[i] / (1 - p), 1e-12);
            }
        }

        ((double)dropped / x.Length).Should().BeApproximately(p, 0.015);

        var input = T.F64(x.Take(10).ToArray());
        F.dropout(input, p, training: false).ToArray<double>().Should().Equal(x.Take(10), "evaluation is the identity");
        F.dropout(input, 0, training: true).ToArray<double>().Should().Equal(x.Take(10));
        F.dropout(input, 1, training: true).ToArray<double>().Should().OnlyContain(v => v == 0);

        // same generator seed, same mask
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        F.dropout(input, 0.5, true, g1).ToArray<double>().Should().Equal(F.dropout(input, 0.5, true, g2).ToArray<double>());
    }

    [Fact]
    public void Activations_compute_elementwise()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(20, 16, -3, 3).Append(0).ToArray();
        var input = T.F64(x);
        F.relu(input).Values().ShouldBeClose(x.Select(v => Math.Max(v, 0)).ToArray(), 0, 0);
        F.leaky_relu(input).Values().ShouldBeClose(x.Select(v => v >= 0 ? v : 0.01 * v).ToArray(), 1e-15);
        F.leaky_relu(input, 0.2).Values().ShouldBeClose(x.Select(v => v >= 0 ? v : 0.2 * v).ToArray(), 1e-15);
        F.tanh(input).Values().ShouldBeClose(x.Select(Math.Tanh).ToArray(), 1e-12);
        F.sigmoid(input).Values().ShouldBeClose(x.Select(T.Sigmoid).ToArray(), 1e-12);
        F.softmax(T.F64(x, 3, 7), 1).Values().ShouldBeClose(Reference.SoftmaxRows(x, 3, 7), 1e-12);
        F.log_softmax(T.F64(x, 3, 7), 1).Values().ShouldBeClose(Reference.SoftmaxRows(x, 3, 7, log: true), 1e-12);
    }

    [Fact]
    public void Bce_with_logits_matches_formula_for_every_reduction_and_weighting()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(8, 17, -4, 4);
        var y = T.Doubles(8, 18, 0, 1);
        double[] weight = [0.5, 2.0];
        double[] posWeight = [3.0, 0.5];
        double Loss(int i, bool weighted)
        {
            var pw = weighted ? posWeight[i % 2] : 1;
            var w = weighted ? weight[i % 2] : 1;
            return -w * ((pw * y[i] * Math.Log(T.Sigmoid(x[i]))) + ((1 - y[i]) * Math.Log(1 - T.Sigmoid(x[i]))));
        }

        var plain = Enumerable.Range(0, 8).Select(i => Loss(i, false)).ToArray();
        var weighted = Enumerable.Range(0, 8).Select(i => Loss(i, true)).ToArray();
        var input = T.F64(x, 4, 2);
        var target = T.F64(y, 4, 2);

        F.binary_cross_entropy_with_logits(input, target).item<double>().ShouldBeCloseTo(plain.Average(), 1e-12);
        F.binary_cross_entropy_with_logits(input, target, reduction: Reduction.Sum).item<double>().ShouldBeCloseTo(plain.Sum(), 1e-12);
        F.binary_cross_entropy_with_logits(input, target, reduction: Reduction.None).ShouldEqual(plain, [4, 2], 1e-12);
        F.binary_cross_entropy_with_logits(input, target, T.F64(weight), Reduction.None, T.F64(posWeight)).ShouldEqual(weighted, [4, 2], 1e-12);

        // numerically stable for large logits
        F.binary_cross_entropy_with_logits(T.F64([100.0, -100.0]), T.F64([0.0, 1.0]), reduction: Reduction.None)
            .Values().ShouldBeClose([100, 100], 1e-9);

        // the module form agrees
        nn.BCEWithLogitsLoss(Reduction.Sum).call(input, target).item<double>().ShouldBeCloseTo(plain.Sum(), 1e-12);
    }

    [Fact]
    public void Mse_loss_matches_formula()
    {
        using var scope = NewDisposeScope();
        var x = T.Doubles(6, 19);
        var y = T.Doubles(6, 20);
        var sq = x.Zip(y, (a, b) => (a - b) * (a - b)).ToArray();
        F.mse_loss(T.F64(x, 2, 3), T.F64(y, 2, 3)).item<double>().ShouldBeCloseTo(sq.Average(), 1e-12);
        F.mse_loss(T.F64(x, 2, 3), T.F64(y, 2, 3), Reduction.Sum).item<double>().ShouldBeCloseTo(sq.Sum(), 1e-12);
        F.mse_loss(T.F64(x, 2, 3), T.F64(y, 2, 3), Reduction.None).ShouldEqual(sq, [2, 3], 1e-12);
        nn.MSELoss().forward(T.F64(x, 2, 3), T.F64(y, 2, 3)).item<double>().ShouldBeCloseTo(sq.Average(), 1e-12);
    }

    [Fact]
    public void Cross_entropy_matches_formula_with_weights_ignore_index_and_smoothing()
    {
        using var scope = NewDisposeScope();
        const int n = 5, c = 4;
        var logits = T.Doubles(n * c, 21, -2, 2);
        long[] target = [3, 0, 1, 3, 2];
        double[] weight = [1.0, 2.0, 0.5, 1.5];
        var logp = Reference.SoftmaxRows(logits, n, c, log: true);
        var nll = Enumerable.Range(0, n).Select(i => -logp[(i * c) + target[i]]).ToArray();
        var input = T.F64(logits, n, c);
        var targets = T.I64(target);

        F.cross_entropy(input, targets).item<double>().ShouldBeCloseTo(nll.Average(), 1e-12);
        F.cross_entropy(input, targets, reduction: Reduction.Sum).item<double>().ShouldBeCloseTo(nll.Sum(), 1e-12);
        F.cross_entropy(input, targets, reduction: Reduction.None).ShouldEqual(nll, [n], 1e-12);

        var weightedMean = Enumerable.Range(0, n).Sum(i => weight[target[i]] * nll[i]) / target.Sum(t => weight[t]);
        F.cross_entropy(input, targets, T.F64(weight)).item<double>().ShouldBeCloseTo(weightedMean, 1e-12);

        var kept = new[] { 0, 2, 3 };
        long[] ignored = [3, -100, 1, 3, -100];
        F.cross_entropy(input, T.I64(ignored)).item<double>().ShouldBeCloseTo(kept.Average(i => nll[i]), 1e-12);
        long[] ignoredCustom = [3, 2, 1, 3, 2];
        F.cross_entropy(input, T.I64(ignoredCustom), ignore_index: 2).item<double>().ShouldBeCloseTo(kept.Average(i => nll[i]), 1e-12);

        const double eps = 0.2;
        var smoothed = Enumerable.Range(0, n).Select(i =>
            ((1 - eps) * nll[i]) + (eps / c * Enumerable.Range(0, c).Sum(k => -logp[(i * c) + k]))).ToArray();
        F.cross_entropy(input, targets, label_smoothing: eps).item<double>().ShouldBeCloseTo(smoothed.Average(), 1e-12);

        nn.CrossEntropyLoss(Reduction.Sum).call(input, targets).item<double>().ShouldBeCloseTo(nll.Sum(), 1e-12);
        nn.CrossEntropyLoss(ignore_index: 2).call(input, T.I64(ignoredCustom)).item<double>().ShouldBeCloseTo(kept.Average(i => nll[i]), 1e-12);
    }
}
