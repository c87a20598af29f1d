using System.Numerics.Tensors;

namespace GenCluster.Training.Optim;

/// <summary>SGD hyperparameters; defaults follow <c>torch.optim.SGD</c> (momentum 0 means plain SGD).</summary>
public sealed record SgdOptions
{
    public double LearningRate { get; init; } = 1e-2;

    public double Momentum { get; init; }

    public double Dampening { get; init; }

    public double WeightDecay { get; init; }

    public bool Nesterov { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "SGD LearningRate must be positive");
        }

        if (Momentum < 0 || WeightDecay < 0 || Dampening < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), "SGD Momentum, Dampening and WeightDecay must not be negative");
        }

        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs Momentum > 0 and Dampening = 0");
        }
    }
}

/// <summary>
/// SGD with momentum as PyTorch defines it: g ← g + wd·p; b ← g on the first step, else
/// b ← μb + (1−τ)g; p ← p − lr·(Nesterov ? g + μb : b).
/// </summary>
public sealed class Sgd : IFlatOptimizer
{
    private readonly SgdOptions _options;

    public Sgd(int length, SgdOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Length = length;
        MomentumBuffer = options.Momentum != 0 ? new float[length] : [];
    }

    public int Length { get; }

    public long StepCount { get; private set; }

    /// <summary>The momentum buffer b (empty without momentum).</summary>
    public float[] MomentumBuffer { get; }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != Length || gradients.Length != Length)
        {
            throw new ArgumentException($"SGD over {Length} parameters got {parameters.Length} parameters and {gradients.Length} gradients");
        }

        var lr = (float)_options.LearningRate;
        var momentum = (float)_options.Momentum;
        var weightDecay = (float)_options.WeightDecay;
        ReadOnlySpan<float> g = gradients;
        float[]? decayed = null;
        if (weightDecay != 0)
        {
            decayed = new float[Length];
            TensorPrimitives.MultiplyAdd(parameters, weightDecay, gradients, decayed);
            g = decayed;
        }

        if (momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(g, -lr, parameters, parameters);
        }
        else
        {
            var b = MomentumBuffer.AsSpan();
            if (StepCount == 0)
            {
                g.CopyTo(b);
            }
            else
            {
                TensorPrimitives.Multiply(b, momentum, b);
                TensorPrimitives.MultiplyAdd(g, (float)(1 - _options.Dampening), b, b);
            }

            if (_options.Nesterov)
            {
                TensorPrimitives.MultiplyAdd(g, -lr, parameters, parameters);
                TensorPrimitives.MultiplyAdd(b, -lr * momentum, parameters, parameters);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(b, -lr, parameters, parameters);
            }
        }

        StepCount++;
    }
}
