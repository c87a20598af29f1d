using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Training.Gan;
using GenCluster.Training.Grains.Models;
using GenCluster.Training.Local;
using GenCluster.Training.Optim;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Grains.Tests.Support;

/// <summary>How the single-worker reference sees the W ranks' data.</summary>
public enum ReferenceMode
{
    /// <summary>One worker accumulating W micro-batches of b (the exact reference with BatchNorm, DESIGN.md §6).</summary>
    MicroBatches,

    /// <summary>One worker with one batch of W·b (exact only without BatchNorm).</summary>
    SingleBatch,
}

/// <summary>
/// The oracle of the equivalence tests: one worker in this process trains the plan with W·b images per step, drawing
/// exactly the samples and latent vectors ranks 0..W−1 draw (sampler slices and noise streams keyed by seed, step and
/// rank), with plain Adam over the whole flat vectors — no shards, no buckets, no grains.
/// </summary>
internal static class ReferenceTraining
{
    /// <summary>The flat G and D parameters after <see cref="TrainingPlan.Steps"/> steps.</summary>
    public static (float[] Generator, float[] Discriminator) Train(TrainingPlan plan, FashionMnist data, ReferenceMode mode)
    {
        set_num_threads(1);
        int w = plan.WorldSize, b = plan.BatchPerWorker;
        var (generator, discriminator) = GanModelFactory.Create(plan.Model, plan.Seed);
        using var g = generator;
        using var d = discriminator;
        using var step = new GanStep(g, d);
        var adamG = new Adam((int)step.GeneratorBuffer.Length, ToOptions(plan.GeneratorOptimizer));
        var adamD = new Adam((int)step.DiscriminatorBuffer.Length, ToOptions(plan.DiscriminatorOptimizer));
        var sampler = new DataParallelSampler(data.Count, w * b, plan.Seed);
        using var noiseStream = new Generator(0);
        var indices = new int[b];
        var labels = new long[b];

        for (long t = 0; t < plan.Steps; t++)
        {
            using var scope = NewDisposeScope();
            var reals = new List<Tensor>();
            var noises = new List<Tensor>();
            for (var r = 0; r < w; r++)
            {
                sampler.CopyMicroBatch(t, r, w, indices);
                var real = empty([b, 1, 28, 28]);
                data.CopyBatch(indices, real.data<float>(), labels);
                reals.Add(real);
                noiseStream.manual_seed(DeterministicRandom.DeriveSeed(plan.Seed, t, r, LocalGanTrainer.NoiseStream));
                noises.Add(randn([b, plan.Model.LatentSize, 1, 1], generator: noiseStream));
            }

            if (mode == ReferenceMode.SingleBatch)
            {
                step.DiscriminatorBackward(cat(reals), cat(noises));
                adamD.Step(step.DiscriminatorBuffer.ParameterSpan, step.DiscriminatorBuffer.GradientSpan);
                step.GeneratorBackward();
                adamG.Step(step.GeneratorBuffer.ParameterSpan, step.GeneratorBuffer.GradientSpan);
                continue;
            }

            var gradD = Average(w, r =>
            {
                step.DiscriminatorBackward(reals[r], noises[r]);
                return step.DiscriminatorBuffer.GradientSpan.ToArray();
            });
            adamD.Step(step.DiscriminatorBuffer.ParameterSpan, gradD);

            var gradG = Average(w, r =>
            {
                // Re-runs phase 1 only to regenerate micro-batch r's fakes G(z_r) — G is not updated yet, so they are
                // the fakes rank r keeps; the D gradients it leaves are discarded.
                step.DiscriminatorBackward(reals[r], noises[r]);
                step.GeneratorBackward();
                return step.GeneratorBuffer.GradientSpan.ToArray();
            });
            adamG.Step(step.GeneratorBuffer.ParameterSpan, gradG);
        }

        return (step.GeneratorBuffer.ParameterSpan.ToArray(), step.DiscriminatorBuffer.ParameterSpan.ToArray());
    }

    /// <summary>The initial flat parameters a plan starts from.</summary>
    public static (float[] Generator, float[] Discriminator) Initial(TrainingPlan plan)
    {
        var (generator, discriminator) = GanModelFactory.Create(plan.Model, plan.Seed);
        using var g = generator;
        using var d = discriminator;
        using var buffers = new GanStep(g, d);
        return (buffers.GeneratorBuffer.ParameterSpan.ToArray(), buffers.DiscriminatorBuffer.ParameterSpan.ToArray());
    }

    // Sum micro-batches 0..W−1 in order, then divide by W: the mean gradient of the W·b images.
    private static float[] Average(int count, Func<int, float[]> gradientOf)
    {
        var sum = gradientOf(0);
        for (var r = 1; r < count; r++)
        {
            var next = gradientOf(r);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += next[i];
            }
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] /= count;
        }

        return sum;
    }

    private static AdamOptions ToOptions(AdamSettings s) => new()
    {
        LearningRate = s.LearningRate,
        Beta1 = s.Beta1,
        Beta2 = s.Beta2,
        Epsilon = s.Epsilon,
        WeightDecay = s.WeightDecay,
    };
}
