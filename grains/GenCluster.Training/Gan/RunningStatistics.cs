using GenCluster.Torch;
using GenCluster.Torch.Modules;

namespace GenCluster.Training.Gan;

/// <summary>
/// A model's floating-point buffers (BatchNorm running means and variances), flattened in <c>named_buffers</c>
/// order. They are not parameters, so the shards never see them: each rank keeps its own, and the cluster exports
/// rank 0's, as PyTorch DDP's default <c>broadcast_buffers</c> would. Integer buffers (BatchNorm's
/// <c>num_batches_tracked</c>) are left out; they only matter for a cumulative-average momentum, which we do not use.
/// </summary>
public static class RunningStatistics
{
    /// <summary>A copy of every float32 buffer of <paramref name="model"/>, concatenated.</summary>
    public static float[] Gather(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buffers = FloatBuffers(model);
        var result = new float[buffers.Sum(b => b.numel())];
        var offset = 0;
        foreach (var buffer in buffers)
        {
            var values = buffer.data<float>();
            values.CopyTo(result.AsSpan(offset));
            offset += values.Length;
        }

        return result;
    }

    /// <summary>Overwrites every float32 buffer of <paramref name="model"/> from <paramref name="values"/>, in place.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have exactly the buffers' length.</exception>
    public static void Load(Module model, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buffers = FloatBuffers(model);
        var expected = buffers.Sum(b => b.numel());
        if (values.Length != expected)
        {
            throw new ArgumentException($"the model has {expected:N0} running-statistics values; got {values.Length:N0}", nameof(values));
        }

        foreach (var buffer in buffers)
        {
            var target = buffer.data<float>();
            values[..target.Length].CopyTo(target);
            values = values[target.Length..];
        }
    }

    private static List<Tensor> FloatBuffers(Module model) =>
        [.. model.named_buffers().Select(b => b.Tensor).Where(t => t.dtype == ScalarType.Float32)];
}
