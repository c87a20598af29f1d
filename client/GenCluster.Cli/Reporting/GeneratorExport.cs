using System.Globalization;
using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Torch;
using GenCluster.Torch.Modules;
using GenCluster.Torch.Serialization;
using GenCluster.Training.Gan;
using static GenCluster.Torch.torch;

namespace GenCluster.Cli.Reporting;

/// <summary>
/// Writes a cluster-trained generator: its parameters (gathered from the shards) as safetensors and a sample grid.
/// </summary>
/// <remarks>
/// BatchNorm running statistics are not parameters: they come from rank 0 (as PyTorch DDP's buffer broadcast would
/// have them), and the samples are drawn in evaluation mode like a PyTorch user's <c>netG.eval()</c>. Without them
/// (a run whose rank 0 could not be asked) the file keeps their initial values and the samples use batch statistics.
/// </remarks>
internal static class GeneratorExport
{
    public const int SampleCount = 64;

    /// <summary>Writes <c>generator.safetensors</c> and <c>samples.png</c> into <paramref name="directory"/>; returns their paths.</summary>
    /// <exception cref="InvalidDataException">The parameter count does not match the plan's generator.</exception>
    public static (string Weights, string Samples) Write(string directory, TrainingPlan plan, float[] parameters, float[]? runningStatistics, long completedSteps)
    {
        Directory.CreateDirectory(directory);
        using var generator = Build(plan.Model);
        using (var flat = ParameterBuffer.Flatten(generator))
        {
            var target = flat.ParameterSpan;
            if (target.Length != parameters.Length)
            {
                throw new InvalidDataException($"the cluster returned {parameters.Length:N0} generator parameters; a {plan.Model.Family.ToName()} generator of this plan has {target.Length:N0}");
            }

            parameters.CopyTo(target);
            if (runningStatistics is not null)
            {
                RunningStatistics.Load(generator, runningStatistics);
            }

            var weights = Path.Combine(directory, "generator.safetensors");
            SafeTensors.Save(generator.state_dict(), weights, new Dictionary<string, string>
            {
                ["architecture"] = plan.Model.Family == ModelFamily.Dcgan ? "dcgan-28" : "mlp-gan-28",
                ["latent_size"] = plan.Model.LatentSize.ToString(CultureInfo.InvariantCulture),
                ["steps"] = completedSteps.ToString(CultureInfo.InvariantCulture),
                ["batchnorm_running_stats"] = runningStatistics is null ? "initial values (rank 0 could not be asked); sample in training mode" : "rank 0's",
            });

            var samples = Path.Combine(directory, "samples.png");
            RunArtifacts.WriteSampleGrid(samples, Sample(generator, plan.Model.LatentSize, plan.Seed, evaluationMode: runningStatistics is not null), SampleCount, FashionMnist.ImageHeight);
            return (weights, samples);
        }
    }

    private static Module Build(ModelSpec model) => model.Family switch
    {
        ModelFamily.Dcgan => new DcganGenerator(new DcganOptions { LatentSize = model.LatentSize, GeneratorWidth = model.GeneratorWidth, DiscriminatorWidth = model.DiscriminatorWidth }),
        ModelFamily.MlpGan => new MlpGenerator(new MlpGanOptions { LatentSize = model.LatentSize, GeneratorHidden = model.GeneratorWidth, DiscriminatorHidden = model.DiscriminatorWidth }),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model.Family, "unknown model family"),
    };

    private static float[] Sample(Module generator, int latentSize, ulong seed, bool evaluationMode)
    {
        generator.train(!evaluationMode);
        using var scope = NewDisposeScope();
        using var noiseGenerator = new Generator(seed);
        using var _ = no_grad();
        var noise = randn([SampleCount, latentSize, 1, 1], generator: noiseGenerator);
        return generator.forward(noise).ToArray<float>();
    }
}
