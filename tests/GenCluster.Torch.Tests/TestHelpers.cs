using System.Globalization;
using System.Text;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Tensor construction and comparison helpers shared by the test files.</summary>
internal static class T
{
    /// <summary>A float64 tensor with the given values and shape (a vector when no shape is given).</summary>
    public static Tensor F64(double[] values, params long[] shape) => tensor(values, shape.Length == 0 ? null : shape);

    /// <summary>A float32 tensor with the given values and shape (a vector when no shape is given).</summary>
    public static Tensor F32(float[] values, params long[] shape) => tensor(values, shape.Length == 0 ? null : shape);

    /// <summary>An int64 tensor.</summary>
    public static Tensor I64(long[] values, params long[] shape) => tensor(values, shape.Length == 0 ? null : shape);

    /// <summary>Deterministic pseudo-random doubles in [lo, hi), from .NET's generator (independent of libtorch).</summary>
    public static double[] Doubles(int count, int seed, double lo = -1, double hi = 1)
    {
        var random = new Random(seed);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = lo + ((hi - lo) * random.NextDouble());
        }

        return result;
    }

    /// <summary>Doubles whose magnitude lies in [minAbs, maxAbs] with a random sign (away from 0).</summary>
    public static double[] AwayFromZero(int count, int seed, double minAbs = 0.2, double maxAbs = 1.5)
    {
        var random = new Random(seed);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var magnitude = minAbs + ((maxAbs - minAbs) * random.NextDouble());
            result[i] = random.Next(2) == 0 ? -magnitude : magnitude;
        }

        return result;
    }

    /// <summary>Distinct values (a shuffled, jittered grid with gaps ≥ 0.05), so max/argmax are unambiguous.</summary>
    public static double[] Distinct(int count, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, count).Select(i => (i * 0.1) - (count * 0.05) + (random.NextDouble() * 0.05)).ToArray();
        random.Shuffle(values);
        return values;
    }

    public static float[] ToFloats(this double[] values) => values.Select(v => (float)v).ToArray();

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The elements of any floating tensor as doubles.</summary>
    public static double[] Values(this Tensor t)
    {
        using var asDouble = t.to(ScalarType.Float64);
        return asDouble.ToArray<double>();
    }

    /// <summary>Asserts element-wise |actual - expected| ≤ atol + rtol·|expected| and equal lengths.</summary>
    public static void ShouldBeClose(this double[] actual, double[] expected, double atol = 1e-6, double rtol = 1e-6, string because = "")
    {
        actual.Length.Should().Be(expected.Length, "the element counts must match {0}", because);
        var failures = new StringBuilder();
        var count = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var ok = Math.Abs(actual[i] - expected[i]) <= atol + (rtol * Math.Abs(expected[i]))
                     || (double.IsNaN(actual[i]) && double.IsNaN(expected[i]))
                     || (double.IsInfinity(expected[i]) && actual[i] == expected[i]);
            if (!ok)
            {
                if (count++ < 8)
                {
                    failures.Append(CultureInfo.InvariantCulture, $"[{i}] actual {actual[i]:R} expected {expected[i]:R}; ");
                }
            }
        }

        count.Should().Be(0, "all elements should be close {0}: {1}", because, failures.ToString());
    }

    /// <summary>Asserts a tensor's shape and (float) values.</summary>
    public static void ShouldEqual(this Tensor t, double[] expected, long[] shape, double atol = 1e-6, double rtol = 1e-6)
    {
        t.shape.Should().Equal(shape);
        t.Values().ShouldBeClose(expected, atol, rtol);
    }

    public static void ShouldBeCloseTo(this double actual, double expected, double atol = 1e-6, double rtol = 1e-6) =>
        new[] { actual }.ShouldBeClose([expected], atol, rtol);

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}

/// <summary>
/// A small row-major n-d array of doubles used to compute reference results in plain C#,
/// independent of libtorch.
/// </summary>
internal sealed class Nd
{
    public Nd(double[] data, params long[] shape)
    {
        T.Numel(shape).Should().Be(data.Length);
        Data = data;
        Shape = shape.Select(s => (int)s).ToArray();
        Strides = new int[Shape.Length];
        var stride = 1;
        for (var d = Shape.Length - 1; d >= 0; d--)
        {
            Strides[d] = stride;
            stride *= Shape[d];
        }
    }

    public Nd(params long[] shape) : this(new double[T.Numel(shape)], shape)
    {
    }

    public double[] Data { get; }

    public int[] Shape { get; }

    public int[] Strides { get; }

    public long[] LongShape => Shape.Select(s => (long)s).ToArray();

    public double this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    public int Offset(int[] index)
    {
        var offset = 0;
        for (var d = 0; d < index.Length; d++)
        {
            offset += index[d] * Strides[d];
        }

        return offset;
    }

    /// <summary>All multi-indices in row-major order.</summary>
    public static IEnumerable<int[]> Indices(int[] shape)
    {
        var total = shape.Aggregate(1, (a, b) => a * b);
        for (var flat = 0; flat < total; flat++)
        {
            var index = new int[shape.Length];
            var rest = flat;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            yield return index;
        }
    }

    /// <summary>out[i] = this[i permuted by dims].</summary>
    public Nd Permute(params int[] dims)
    {
        var result = new Nd(dims.Select(d => (long)Shape[d]).ToArray());
        foreach (var index in Indices(result.Shape))
        {
            var source = new int[Shape.Length];
            for (var d = 0; d < dims.Length; d++)
            {
                source[dims[d]] = index[d];
            }

            result[index] = this[source];
        }

        return result;
    }

    /// <summary>Reduces the given dimensions with <paramref name="reduce"/> over the collected values.</summary>
    public Nd Reduce(int[] dims, bool keepdim, Func<List<double>, double> reduce)
    {
        var keptShape = Shape.Select((s, d) => dims.Contains(d) ? 1 : s).ToArray();
        var groups = new Dictionary<int, List<double>>();
        var keptNd = new Nd(keptShape.Select(s => (long)s).ToArray());
        foreach (var index in Indices(Shape))
        {
            var kept = index.Select((v, d) => dims.Contains(d) ? 0 : v).ToArray();
            var key = keptNd.Offset(kept);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(this[index]);
        }

        for (var i = 0; i < keptNd.Data.Length; i++)
        {
            keptNd.Data[i] = reduce(groups[i]);
        }

        return keepdim ? keptNd : new Nd(keptNd.Data, Shape.Where((_, d) => !dims.Contains(d)).Select(s => (long)s).ToArray());
    }
}

/// <summary>Reference implementations of the heavier kernels, in plain loops.</summary>
internal static class Reference
{
    /// <summary>[n×k]·[k×m].</summary>
    public static double[] MatMul(double[] a, double[] b, int n, int k, int m)
    {
        var result = new double[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    sum += a[(i * k) + p] * b[(p * m) + j];
                }

                result[(i * m) + j] = sum;
            }
        }

        return result;
    }

    public static Nd Conv2d(Nd x, Nd w, double[]? bias, int stride, int padding, int dilation = 1, int groups = 1)
    {
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int cout = w.Shape[0], cinPerGroup = w.Shape[1], k = w.Shape[2];
        var coutPerGroup = cout / groups;
        var ho = ((h + (2 * padding) - (dilation * (k - 1)) - 1) / stride) + 1;
        var wo = ((wd + (2 * padding) - (dilation * (k - 1)) - 1) / stride) + 1;
        cinPerGroup.Should().Be(cin / groups);
        var y = new Nd(n, cout, ho, wo);
        foreach (var idx in Nd.Indices(y.Shape))
        {
            int b = idx[0], co = idx[1], i = idx[2], j = idx[3];
            var g = co / coutPerGroup;
            var sum = bias?[co] ?? 0;
            for (var ci = 0; ci < cinPerGroup; ci++)
            {
                for (var ki = 0; ki < k; ki++)
                {
                    for (var kj = 0; kj < k; kj++)
                    {
                        var r = (i * stride) - padding + (ki * dilation);
                        var c = (j * stride) - padding + (kj * dilation);
                        if (r >= 0 && r < h && c >= 0 && c < wd)
                        {
                            sum += x[b, (g * cinPerGroup) + ci, r, c] * w[co, ci, ki, kj];
                        }
                    }
                }
            }

            y[idx] = sum;
        }

        return y;
    }

    /// <summary>Transposed convolution by scattering each input pixel (groups = 1); weight is in×out×k×k.</summary>
    public static Nd ConvTranspose2d(Nd x, Nd w, double[]? bias, int stride, int padding, int outputPadding = 0, int dilation = 1)
    {
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int cout = w.Shape[1], k = w.Shape[2];
        var ho = ((h - 1) * stride) - (2 * padding) + (dilation * (k - 1)) + outputPadding + 1;
        var wo = ((wd - 1) * stride) - (2 * padding) + (dilation * (k - 1)) + outputPadding + 1;
        var y = new Nd(n, cout, ho, wo);
        for (var b = 0; b < n; b++)
        {
            for (var co = 0; co < cout; co++)
            {
                for (var i = 0; i < ho; i++)
                {
                    for (var j = 0; j < wo; j++)
                    {
                        y[b, co, i, j] = bias?[co] ?? 0;
                    }
                }
            }

            for (var ci = 0; ci < cin; ci++)
            {
                for (var i = 0; i < h; i++)
                {
                    for (var j = 0; j < wd; j++)
                    {
                        for (var co = 0; co < cout; co++)
                        {
                            for (var ki = 0; ki < k; ki++)
                            {
                                for (var kj = 0; kj < k; kj++)
                                {
                                    var r = (i * stride) - padding + (ki * dilation);
                                    var c = (j * stride) - padding + (kj * dilation);
                                    if (r >= 0 && r < ho && c >= 0 && c < wo)
                                    {
                                        y[b, co, r, c] += x[b, ci, i, j] * w[ci, co, ki, kj];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Softmax along the last dimension of a [rows × cols] array.</summary>
    public static double[] SoftmaxRows(double[] x, int rows, int cols, bool log = false)
    {
        var result = new double[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < cols; c++)
            {
                max = Math.Max(max, x[(r * cols) + c]);
            }

            double sum = 0;
            for (var c = 0; c < cols; c++)
            {
                sum += Math.Exp(x[(r * cols) + c] - max);
            }

            for (var c = 0; c < cols; c++)
            {
                var z = x[(r * cols) + c] - max;
                result[(r * cols) + c] = log ? z - Math.Log(sum) : Math.Exp(z) / sum;
            }
        }

        return result;
    }
}
