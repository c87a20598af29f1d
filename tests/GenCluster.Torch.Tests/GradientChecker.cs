using System.Globalization;
using System.Text;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>
/// Compares the gradients autograd computes (backward) with central finite differences, in float64.
/// </summary>
/// <remarks>
/// The function's output is reduced to a scalar with a fixed random projection,
/// L = Σ out ⊙ R (R drawn by .NET's Random, magnitudes in [0.5, 1.5] with random signs), so every
/// output element contributes and a wrong Jacobian row or column cannot cancel out. The numeric
/// side evaluates the function on perturbed copies of the inputs and computes L in C#.
/// </remarks>
internal static class GradientChecker
{
    public const double Eps = 1e-6;
    public const double RelativeTolerance = 1e-5;
    public const double AbsoluteTolerance = 1e-6;

    /// <summary>
    /// Checks d(Σ f(inputs) ⊙ R)/d(inputs[i]) for every i in <paramref name="wrt"/> (all inputs by default).
    /// Inputs must be float64; they are copied, never modified.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, int[]? wrt = null, double eps = Eps,
        double rtol = RelativeTolerance, double atol = AbsoluteTolerance, bool requireNonZero = true)
    {
        foreach (var input in inputs)
        {
            input.dtype.Should().Be(ScalarType.Float64, "gradient checks run in float64");
        }

        var values = inputs.Select(i => i.ToArray<double>()).ToArray();
        var shapes = inputs.Select(i => i.shape).ToArray();
        wrt ??= Enumerable.Range(0, inputs.Length).ToArray();

        // Analytic gradients through backward().
        double[] projection;
        var analytic = new double[inputs.Length][];
        using (NewDisposeScope())
        {
            var leaves = new Tensor[inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                leaves[i] = tensor(values[i], shapes[i], requires_grad: wrt.Contains(i));
            }

            var output = f(leaves);
            output.dtype.Should().Be(ScalarType.Float64, "the checked function must compute in float64");
            projection = Projection((int)output.numel());
            var r = tensor(projection, output.shape);
            var loss = output.mul(r).sum();
            loss.backward();
            foreach (var i in wrt)
            {
                var grad = leaves[i].grad;
                analytic[i] = grad is null ? new double[values[i].Length] : grad.ToArray<double>();
            }
        }

        // Numeric gradients by central differences.
        var report = new StringBuilder();
        var failures = 0;
        foreach (var i in wrt)
        {
            var numeric = new double[values[i].Length];
            for (var j = 0; j < values[i].Length; j++)
            {
                var original = values[i][j];
                values[i][j] = original + eps;
                var plus = Evaluate(f, values, shapes, projection);
                values[i][j] = original - eps;
                var minus = Evaluate(f, values, shapes, projection);
                values[i][j] = original;
                numeric[j] = (plus - minus) / (2 * eps);
            }

            if (requireNonZero)
            {
                numeric.Any(v => Math.Abs(v) > 1e-8).Should().BeTrue($"input {i} should influence the output (else the check proves nothing)");
            }

            for (var j = 0; j < numeric.Length; j++)
            {
                if (Math.Abs(analytic[i][j] - numeric[j]) > atol + (rtol * Math.Abs(numeric[j])))
                {
                    if (failures++ < 10)
                    {
                        report.Append(CultureInfo.InvariantCulture,
                            $"input {i} element {j}: analytic {analytic[i][j]:R}, numeric {numeric[j]:R}; ");
                    }
                }
            }
        }

        failures.Should().Be(0, "analytic and numeric gradients should agree: {0}", report.ToString());
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, double[][] values, long[][] shapes, double[] projection)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = new Tensor[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            inputs[i] = tensor(values[i], shapes[i]);
        }

        var output = f(inputs).ToArray<double>();
        output.Length.Should().Be(projection.Length);
        double sum = 0;
        for (var k = 0; k < output.Length; k++)
        {
            sum += output[k] * projection[k];
        }

        return sum;
    }

    private static double[] Projection(int count)
    {
        var random = new Random(20240611 + count);
        return Enumerable.Range(0, count).Select(_ => (random.Next(2) == 0 ? -1 : 1) * (0.5 + random.NextDouble())).ToArray();
    }
}
