using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Torch.Modules;
using GenCluster.Training.Gan;
using GenCluster.Training.Grains.Models;
using GenCluster.Training.Local;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Grains.Workers;

/// <summary>
/// One rank's replica of G and D with its data slice and noise stream. Everything here runs on the device's compute
/// thread (dispose scopes are per thread), except <see cref="CopyGradients"/> of a bucket whose gradients are final;
/// the grain only moves flat-buffer slices in and out.
/// </summary>
internal sealed class WorkerReplica : IDisposable
{
    private readonly TrainingPlan _plan;
    private readonly int _rank;
    private readonly FashionMnist _data;
    private readonly DataParallelSampler _sampler;
    private readonly Module _generator;
    private readonly Module _discriminator;
    private readonly GanStep _step;
    private readonly Generator _noise = new(0);
    private readonly Tensor _real;
    private readonly int[] _indices;
    private readonly long[] _labels;
    private long? _realHalfStep;
    private float[]? _statisticsBeforeRealHalf;

    public WorkerReplica(TrainingPlan plan, int rank, FashionMnist data)
    {
        _plan = plan;
        _rank = rank;
        _data = data;
        var globalBatch = checked(plan.BatchPerWorker * plan.WorldSize);
        if (globalBatch > data.Count)
        {
            throw new ArgumentException($"the global batch of {globalBatch} images exceeds the {data.Count} images of {plan.Dataset}/{plan.DatasetSplit}");
        }

        _sampler = new DataParallelSampler(data.Count, globalBatch, plan.Seed);
        (_generator, _discriminator) = GanModelFactory.Create(plan.Model, plan.Seed);
        _step = new GanStep(_generator, _discriminator);
        _real = empty([plan.BatchPerWorker, FashionMnist.Channels, FashionMnist.ImageHeight, FashionMnist.ImageWidth]).DetachFromDisposeScope();
        _indices = new int[plan.BatchPerWorker];
        _labels = new long[plan.BatchPerWorker];
    }

    /// <summary>Length of <paramref name="role"/>'s flat parameter vector.</summary>
    public long ParameterCount(ModelRole role) => Buffer(role).Length;

    /// <summary>Where each of <paramref name="role"/>'s parameters lies in its flat vector (fixed for the replica's life).</summary>
    public IReadOnlyList<ParameterSlot> ParameterLayout(ModelRole role) => Buffer(role).Layout;

    /// <summary>
    /// Phase 1 of step <paramref name="step"/>: this rank's slice of the global batch and its own noise stream
    /// (keyed by seed, step and rank, as a single worker's micro-batch of the same index would draw), then D's gradients.
    /// The real half is not run again when <see cref="RunRealHalfAhead"/> has run it for this step.
    /// <paramref name="gradientReady"/> hears, during the backward pass, of each of D's parameters whose gradient is final.
    /// </summary>
    public DiscriminatorPhase DiscriminatorBackward(long step, Action<int>? gradientReady = null)
    {
        if (_realHalfStep != step)
        {
            DiscardRealHalf();
            RealHalf(step);
        }

        _realHalfStep = null;
        _statisticsBeforeRealHalf = null;
        _noise.manual_seed(DeterministicRandom.DeriveSeed(_plan.Seed, step, _rank, LocalGanTrainer.NoiseStream));
        using var noise = randn([_plan.BatchPerWorker, _plan.Model.LatentSize, 1, 1], generator: _noise);
        return _step.DiscriminatorFakeBackward(noise, gradientReady);
    }

    /// <summary>
    /// Runs the real half of step <paramref name="step"/>'s phase 1 ahead of time: it reads only D's parameters and this
    /// rank's batch, so it can run while the previous step's G update is still on the wire. Anything that changes D's
    /// parameters or reads D's running statistics first undoes it (<see cref="DiscardRealHalf"/>).
    /// </summary>
    /// <returns>How long it computed.</returns>
    public TimeSpan RunRealHalfAhead(long step)
    {
        DiscardRealHalf();
        var clock = Stopwatch.StartNew();
        var before = RunningStatistics.Gather(_discriminator);
        try
        {
            RealHalf(step);
        }
        catch
        {
            RunningStatistics.Load(_discriminator, before);
            throw;
        }

        (_realHalfStep, _statisticsBeforeRealHalf) = (step, before);
        return clock.Elapsed;
    }

    /// <summary>
    /// Forgets a real half run ahead and restores D's running statistics from before it, so a step that never ran leaves
    /// no trace (its gradients are zeroed by the next phase 1 anyway).
    /// </summary>
    public void DiscardRealHalf()
    {
        if (_statisticsBeforeRealHalf is { } before)
        {
            RunningStatistics.Load(_discriminator, before);
        }

        (_realHalfStep, _statisticsBeforeRealHalf) = (null, null);
    }

    /// <summary>
    /// Phase 2: G's gradients through D as last written by <see cref="WriteParameters"/>; <paramref name="gradientReady"/>
    /// hears, during the backward pass, of each of G's parameters whose gradient is final.
    /// </summary>
    public GeneratorPhase GeneratorBackward(Action<int>? gradientReady = null) => _step.GeneratorBackward(gradientReady);

    /// <summary>
    /// Copies <paramref name="role"/>'s gradients from <paramref name="offset"/> into all of <paramref name="destination"/>:
    /// the payload of one bucket. May run on any thread once those gradients are final, even while the compute thread is
    /// still in backward: it only reads memory that backward no longer writes.
    /// </summary>
    public void CopyGradients(ModelRole role, long offset, Span<float> destination) =>
        Buffer(role).GradientSpan.Slice(checked((int)offset), destination.Length).CopyTo(destination);

    /// <summary>A copy of <paramref name="role"/>'s parameters in [offset, offset+length).</summary>
    public float[] CopyParameters(ModelRole role, long offset, int length) =>
        Buffer(role).ParameterSpan.Slice(checked((int)offset), length).ToArray();

    /// <summary>A copy of <paramref name="role"/>'s running statistics (BatchNorm buffers), without a real half run ahead.</summary>
    public float[] CopyRunningStatistics(ModelRole role)
    {
        DiscardRealHalf();
        return RunningStatistics.Gather(role == ModelRole.Generator ? _generator : _discriminator);
    }

    /// <summary>
    /// Overwrites <paramref name="role"/>'s parameters from <paramref name="offset"/> in place (the views stay intact). New
    /// D parameters make a real half run ahead stale, so it is discarded.
    /// </summary>
    public void WriteParameters(ModelRole role, long offset, ReadOnlySpan<float> values)
    {
        if (role == ModelRole.Discriminator)
        {
            DiscardRealHalf();
        }

        values.CopyTo(Buffer(role).ParameterSpan.Slice(checked((int)offset), values.Length));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _step.Dispose();
        _real.Dispose();
        _noise.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
    }

    private void RealHalf(long step)
    {
        _sampler.CopyRankBatch(step, _rank, _plan.WorldSize, _indices);
        _data.CopyBatch(_indices, _real.data<float>(), _labels);
        _step.DiscriminatorRealBackward(_real);
    }

    private ParameterBuffer Buffer(ModelRole role) => role == ModelRole.Generator ? _step.GeneratorBuffer : _step.DiscriminatorBuffer;
}
