using System.Diagnostics;
using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Torch.Serialization;
using GenCluster.Training.Gan;
using GenCluster.Training.Optim;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Local;

/// <summary>
/// Trains a DCGAN on Fashion-MNIST in this process: a data-parallel world of one, with the
/// same sampler, noise streams and step code the cluster's workers use.
/// </summary>
public sealed class LocalGanTrainer : IDisposable
{
    /// <summary>Stream id of the latent noise in <see cref="DeterministicRandom.DeriveSeed"/>.</summary>
    public const ulong NoiseStream = 0x4E4F495345; // "NOISE"

    private readonly LocalTrainingOptions _options;
    private readonly FashionMnist _data;
    private readonly DataParallelSampler _sampler;
    private readonly GanStep _step;
    private readonly Adam _generatorOptimizer;
    private readonly Adam _discriminatorOptimizer;
    private readonly Generator _noiseGenerator;
    private readonly Tensor _real;
    private readonly int[] _indices;
    private readonly long[] _labels;

    public LocalGanTrainer(LocalTrainingOptions options, FashionMnist data)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _data = data ?? throw new ArgumentNullException(nameof(data));
        if (options.BatchSize > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize {options.BatchSize} exceeds the {data.Count} images of the dataset");
        }

        set_num_threads(options.Threads);
        manual_seed(options.Seed);
        GeneratorModel = new DcganGenerator(options.Model);
        DiscriminatorModel = new DcganDiscriminator(options.Model);
        _step = new GanStep(GeneratorModel, DiscriminatorModel);
        _generatorOptimizer = new Adam(checked((int)_step.GeneratorBuffer.Length), options.Adam);
        _discriminatorOptimizer = new Adam(checked((int)_step.DiscriminatorBuffer.Length), options.Adam);
        _sampler = new DataParallelSampler(data.Count, options.BatchSize, options.Seed);
        _noiseGenerator = new Generator(options.Seed);
        _real = empty([options.BatchSize, FashionMnist.Channels, FashionMnist.ImageHeight, FashionMnist.ImageWidth]).DetachFromDisposeScope();
        _indices = new int[options.BatchSize];
        _labels = new long[options.BatchSize];
    }

    public DcganGenerator GeneratorModel { get; }

    public DcganDiscriminator DiscriminatorModel { get; }

    /// <summary>Steps completed so far.</summary>
    public long CompletedSteps { get; private set; }

    /// <summary>Runs the remaining steps, reporting each one.</summary>
    public IReadOnlyList<StepRecord> Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var history = new List<StepRecord>(_options.Steps);
        var clock = Stopwatch.StartNew();
        while (CompletedSteps < _options.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = RunStep(CompletedSteps);
            history.Add(record);
            CompletedSteps++;
            progress?.Report(new TrainingProgress(record, _options.Steps, clock.Elapsed));
        }

        return history;
    }

    /// <summary>Runs step <paramref name="step"/>: one D update, then one G update.</summary>
    public StepRecord RunStep(long step)
    {
        _sampler.CopyGlobalBatch(step, _indices);
        _data.CopyBatch(_indices, _real.data<float>(), _labels);
        _noiseGenerator.manual_seed(DeterministicRandom.DeriveSeed(_options.Seed, step, rank: 0, NoiseStream));
        using var noise = randn([_options.BatchSize, _options.Model.LatentSize, 1, 1], generator: _noiseGenerator);

        var d = _step.DiscriminatorBackward(_real, noise);
        _discriminatorOptimizer.Step(_step.DiscriminatorBuffer.ParameterSpan, _step.DiscriminatorBuffer.GradientSpan);
        var g = _step.GeneratorBackward();
        _generatorOptimizer.Step(_step.GeneratorBuffer.ParameterSpan, _step.GeneratorBuffer.GradientSpan);
        return new StepRecord(step, d.Loss, g.Loss, d.RealScore, d.FakeScore, g.FakeScore);
    }

    /// <summary>Generates <paramref name="count"/> images (N×C×28×28 floats in [-1, 1]) with G in evaluation mode.</summary>
    public float[] Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        using var _ = no_grad();
        GeneratorModel.eval();
        try
        {
            var noise = randn([count, _options.Model.LatentSize, 1, 1], generator: generator);
            return GeneratorModel.forward(noise).ToArray<float>();
        }
        finally
        {
            GeneratorModel.train();
        }
    }

    /// <summary>Saves G's state dict as safetensors, loadable from PyTorch.</summary>
    public void SaveGenerator(string path) =>
        SafeTensors.Save(GeneratorModel.state_dict(), path, new Dictionary<string, string>
        {
            ["architecture"] = "dcgan-28",
            ["latent_size"] = _options.Model.LatentSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["steps"] = CompletedSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <inheritdoc />
    public void Dispose()
    {
        _step.Dispose();
        _real.Dispose();
        _noiseGenerator.Dispose();
        GeneratorModel.Dispose();
        DiscriminatorModel.Dispose();
    }
}
