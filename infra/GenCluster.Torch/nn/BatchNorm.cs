using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>
/// Batch normalisation: batch statistics in training (updating running mean/var with
/// <c>momentum</c>), running statistics in evaluation. State names match PyTorch's.
/// </summary>
public abstract class BatchNorm : Module
{
    private readonly long _expectedDims;

    protected BatchNorm(long num_features, double eps, double momentum, bool affine, bool track_running_stats, long expectedDims)
    {
        if (num_features <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(num_features), num_features, "num_features must be positive");
        }

        (this.num_features, this.eps, this.momentum, _expectedDims) = (num_features, eps, momentum, expectedDims);
        if (affine)
        {
            weight = register_parameter(nameof(weight), ones([num_features]));
            bias = register_parameter(nameof(bias), zeros([num_features]));
        }

        if (track_running_stats)
        {
            running_mean = register_buffer(nameof(running_mean), zeros([num_features]));
            running_var = register_buffer(nameof(running_var), ones([num_features]));
            num_batches_tracked = register_buffer(nameof(num_batches_tracked), zeros([], int64));
        }
    }

    public long num_features { get; }

    public double eps { get; }

    public double momentum { get; }

    public Tensor? weight { get; }

    public Tensor? bias { get; }

    public Tensor? running_mean { get; }

    public Tensor? running_var { get; }

    public Tensor? num_batches_tracked { get; }

    public override Tensor forward(Tensor input)
    {
        var dims = input.dim();
        if (dims != _expectedDims && !(_expectedDims == 3 && dims == 2))
        {
            throw new ArgumentException($"{GetType().Name} expects {(_expectedDims == 3 ? "2-D or 3-D" : $"{_expectedDims}-D")} input, got {dims}-D");
        }

        var useBatchStats = training || running_mean is null;
        if (training && num_batches_tracked is not null)
        {
            using var _ = no_grad();
            num_batches_tracked.add_(1);
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, momentum, eps);
    }
}

/// <summary>Batch normalisation over N×C or N×C×L input.</summary>
public sealed class BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true)
    : BatchNorm(num_features, eps, momentum, affine, track_running_stats, expectedDims: 3);

/// <summary>Batch normalisation over N×C×H×W input.</summary>
public sealed class BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true)
    : BatchNorm(num_features, eps, momentum, affine, track_running_stats, expectedDims: 4);
