namespace GenCluster.Training.Optim;

/// <summary>
/// An optimizer over a flat float32 parameter vector (or one contiguous slice of it), so a
/// parameter shard can update the slice it owns without knowing the model's layers.
/// </summary>
public interface IFlatOptimizer
{
    /// <summary>The number of parameters this optimizer updates.</summary>
    int Length { get; }

    /// <summary>Completed update steps.</summary>
    long StepCount { get; }

    /// <summary>Applies one update: <paramref name="parameters"/> change in place using <paramref name="gradients"/>.</summary>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="Length"/>.</exception>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}
