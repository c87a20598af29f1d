using System.Globalization;
using System.Text.Json;
using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Experiments.Families;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>
/// The parameter counts the validator bounds shards with, against PyTorch's own count of the same architectures:
/// the DCGAN of tests/peers/dcgan_peer.py (the reference the training code is checked against) and the MLP GAN that
/// docs/EXPERIMENT-SPEC.md describes.
/// </summary>
public sealed class ParameterCountTests
{
    private const string Script = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import torch.nn as nn
        from dcgan_peer import Generator, Discriminator

        def mlp(sizes, last):
            layers = []
            for i in range(len(sizes) - 1):
                layers.append(nn.Linear(sizes[i], sizes[i + 1]))
                layers.append(nn.LeakyReLU(0.2) if i < len(sizes) - 2 else last)
            return nn.Sequential(*layers)

        def count(module):
            return sum(p.numel() for p in module.parameters())

        for case in json.loads(sys.argv[2]):
            if case["family"] == "dcgan":
                g = Generator(nz=case["latentDim"], ngf=case["g"][0], nc=case["channels"])
                d = Discriminator(ndf=case["d"][0], nc=case["channels"])
            else:
                pixels = case["channels"] * case["imageSize"] ** 2
                g = mlp([case["latentDim"]] + case["g"] + [pixels], nn.Tanh())
                d = mlp([pixels] + case["d"] + [1], nn.Identity())
            print(count(g), count(d))
        """;

    private static readonly ModelSpec[] s_models =
    [
        ModelSpec.ForFamily(ModelFamilies.Dcgan),
        new(ModelFamilies.Dcgan, 1, 28, 1, NetworkSpec.WithFeatureMaps(1), NetworkSpec.WithFeatureMaps(1)),
        new(ModelFamilies.Dcgan, 37, 28, 3, NetworkSpec.WithFeatureMaps(5), NetworkSpec.WithFeatureMaps(129)),
        ModelSpec.ForFamily(ModelFamilies.MlpGan),
        new(ModelFamilies.MlpGan, 1, 28, 1, NetworkSpec.WithWidths(1), NetworkSpec.WithWidths(1)),
        new(ModelFamilies.MlpGan, 64, 16, 3, NetworkSpec.WithWidths(7, 300, 2), NetworkSpec.WithWidths(1000)),
    ];

    [Fact]
    public void Parameter_counts_match_pytorch()
    {
        var cases = s_models.Select(m => new
        {
            family = m.Family,
            latentDim = m.LatentDim,
            imageSize = m.ImageSize,
            channels = m.Channels,
            g = (IEnumerable<int>?)m.Generator.Widths ?? [m.Generator.FeatureMaps!.Value],
            d = (IEnumerable<int>?)m.Discriminator.Widths ?? [m.Discriminator.FeatureMaps!.Value],
        });

        var lines = PythonPeer.RunInline(Script, PythonPeer.ScriptDirectory, JsonSerializer.Serialize(cases));

        lines.Should().HaveCount(s_models.Length);
        for (int i = 0; i < s_models.Length; i++)
        {
            var family = ModelFamily.Find(s_models[i].Family)!;
            string ours = string.Create(CultureInfo.InvariantCulture, $"{family.ParameterCount(s_models[i], generator: true)} {family.ParameterCount(s_models[i], generator: false)}");
            ours.Should().Be(lines[i], $"model {i}: {s_models[i]}");
        }
    }

    [Fact]
    public void The_default_models_have_the_parameter_counts_docs_experiment_spec_states()
    {
        // Worked by hand from the layers, so the formulas stay readable, and equal to the figures in the documentation.
        long dcganG = (100 * 256 * 49) + (2 * 256) + (256 * 128 * 16) + (2 * 128) + (128 * 1 * 16);
        long dcganD = (1 * 64 * 16) + (64 * 128 * 16) + (2 * 128) + (128 * 49);
        long mlpG = (100 * 256) + 256 + (256 * 512) + 512 + (512 * 1024) + 1024 + (1024 * 784) + 784;
        long mlpD = (784 * 1024) + 1024 + (1024 * 512) + 512 + (512 * 256) + 256 + 256 + 1;

        var dcgan = ModelSpec.ForFamily("dcgan");
        var mlp = ModelSpec.ForFamily("mlp-gan");
        (new DcganFamily().ParameterCount(dcgan, true), new DcganFamily().ParameterCount(dcgan, false)).Should().Be((dcganG, dcganD));
        (new MlpGanFamily().ParameterCount(mlp, true), new MlpGanFamily().ParameterCount(mlp, false)).Should().Be((mlpG, mlpD));
        (dcganG, dcganD, mlpG, mlpD).Should().Be((1_781_504, 138_624, 1_486_352, 1_460_225));
    }
}
