using System.Numerics.Tensors;

namespace GenCluster.Training.Optim;

/// <summary>Adam's hyperparameters; defaults are PyTorch's <c>torch.optim.Adam</c> defaults.</summary>
public sealed record AdamOptions
{
    public double LearningRate { get; init; } = 1e-3;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (PyTorch's <c>weight_decay</c>, not AdamW's decoupled form).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
        Check(Epsilon > 0, nameof(Epsilon), Epsilon, "must be positive");
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must not be negative");

        static void Check(bool ok, string name, double value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Adam {name} {rule}");
            }
        }
    }
}

/// <summary>
/// Adam (Kingma &amp; Ba) on a flat float32 vector, with PyTorch's update order so results track
/// <c>torch.optim.Adam</c>:  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
/// p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε).
/// </summary>
/// <remarks>Works in cache-sized chunks with SIMD <see cref="TensorPrimitives"/> so each chunk stays in L1/L2.</remarks>
public sealed class Adam : IFlatOptimizer
{
    private const int ChunkLength = 2048;

    private readonly AdamOptions _options;

    public Adam(int length, AdamOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Length = length;
        ExpAvg = new float[length];
        ExpAvgSq = new float[length];
    }

    public int Length { get; }

    public long StepCount { get; private set; }

    /// <summary>First-moment estimates m (optimizer state, checkpointed with the parameters).</summary>
    public float[] ExpAvg { get; }

    /// <summary>Second-moment estimates v.</summary>
    public float[] ExpAvgSq { get; }

    /// <summary>Restores state saved from another instance (e.g. a checkpoint).</summary>
    public void LoadState(long stepCount, ReadOnlySpan<float> expAvg, ReadOnlySpan<float> expAvgSq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (expAvg.Length != Length || expAvgSq.Length != Length)
        {
            throw new ArgumentException($"Adam state has {expAvg.Length}/{expAvgSq.Length} entries, expected {Length}");
        }

        expAvg.CopyTo(ExpAvg);
        expAvgSq.CopyTo(ExpAvgSq);
        StepCount = stepCount;
    }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != Length || gradients.Length != Length)
        {
            throw new ArgumentException($"Adam over {Length} parameters got {parameters.Length} parameters and {gradients.Length} gradients");
        }

        StepCount++;
        // Coefficients are formed in double and rounded once, as PyTorch does: (float)(1 - 0.999)
        // differs from 1 - 0.999f by 1e-5 relative, enough to drift from the reference.
        var beta1 = (float)_options.Beta1;
        var beta2 = (float)_options.Beta2;
        var oneMinusBeta1 = (float)(1 - _options.Beta1);
        var oneMinusBeta2 = (float)(1 - _options.Beta2);
        var biasCorrection1 = 1 - Math.Pow(_options.Beta1, StepCount);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_options.Beta2, StepCount));
        var stepSize = (float)(_options.LearningRate / biasCorrection1);
        var correction2Sqrt = (float)biasCorrection2Sqrt;
        var epsilon = (float)_options.Epsilon;
        var weightDecay = (float)_options.WeightDecay;

        // The order and fusion of each operation follow ATen's vectorised CPU kernels behind
        // torch.optim.Adam (add-with-alpha and addcmul end in a fused multiply-add, addcdiv does not),
        // so updates round exactly like PyTorch's: Adam maps tiny gradient differences to
        // full-size steps, and a one-ulp drift would otherwise grow through training.
        Span<float> grad = stackalloc float[ChunkLength];
        Span<float> scratch = stackalloc float[ChunkLength];
        Span<float> update = stackalloc float[ChunkLength];
        for (var start = 0; start < Length; start += ChunkLength)
        {
            var n = Math.Min(ChunkLength, Length - start);
            var p = parameters.Slice(start, n);
            var m = ExpAvg.AsSpan(start, n);
            var v = ExpAvgSq.AsSpan(start, n);
            var g = grad[..n];
            var t = scratch[..n];
            var u = update[..n];
            gradients.Slice(start, n).CopyTo(g);
            if (weightDecay != 0)
            {
                TensorPrimitives.FusedMultiplyAdd(p, weightDecay, g, g);     // g = g + wd·p
            }

            TensorPrimitives.Multiply(m, beta1, m);                          // m = β₁m
            TensorPrimitives.FusedMultiplyAdd(g, oneMinusBeta1, m, m);       // m = m + (1−β₁)g
            TensorPrimitives.Multiply(v, beta2, v);                          // v = β₂v
            TensorPrimitives.Multiply(g, oneMinusBeta2, t);
            TensorPrimitives.FusedMultiplyAdd(t, g, v, v);                   // v = fma((1−β₂)g, g, v)
            TensorPrimitives.Sqrt(v, t);
            TensorPrimitives.Divide(t, correction2Sqrt, t);
            TensorPrimitives.Add(t, epsilon, t);                             // denom = √v/√bc₂ + ε
            TensorPrimitives.Multiply(m, -stepSize, u);
            TensorPrimitives.Divide(u, t, u);
            TensorPrimitives.Add(p, u, p);                                   // p = p + (−step·m)/denom
        }
    }
}
