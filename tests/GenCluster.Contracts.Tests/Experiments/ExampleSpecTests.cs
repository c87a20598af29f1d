using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

public sealed class ExampleSpecTests
{
    [Fact]
    public void The_examples_are_shipped()
    {
        Examples.YamlFiles().Should().HaveCountGreaterThanOrEqualTo(3);
        File.Exists(Examples.PathOf("fashion-mnist-dcgan.json")).Should().BeTrue();
    }

    [Fact]
    public void The_dcgan_example_is_the_pytorch_examples_recipe_at_28x28()
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan.yaml"));

        spec.Model.Should().Be(new ModelSpec("dcgan", 100, 28, 1, NetworkSpec.WithFeatureMaps(64), NetworkSpec.WithFeatureMaps(64)));
        spec.BatchSize.Should().Be(64);
        spec.WorldSize.Should().Be(1);
        foreach (var optimizer in new[] { spec.Optimizer.Generator, spec.Optimizer.Discriminator })
        {
            optimizer.Should().Be(OptimizerSpec.Adam(lr: 0.0002, beta1: 0.5, beta2: 0.999, eps: 1e-8));
        }

        spec.Dataset.Should().Be(new DatasetSpec("fashion-mnist", "debian:fashion-mnist", DatasetSplit.Train));
        spec.Dataset.ResolveDirectory().Should().Be("/usr/share/datasets/fashion-mnist");

        // 25 epochs of the full batches the data-parallel sampler draws from the 60,000 training images.
        spec.Steps.Should().Be(25 * (60_000 / 64));
    }

    [Fact]
    public void The_json_example_is_the_same_spec_as_the_yaml_example()
    {
        var fromYaml = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan.yaml"));
        var fromJson = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan.json"));

        fromJson.Should().Be(fromYaml);
    }

    [Theory]
    [MemberData(nameof(Examples.YamlFiles), MemberType = typeof(Examples))]
    public void Every_example_round_trips_yaml_to_spec_to_json_to_spec(string file)
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf(file));

        string json = ExperimentSpecWriter.ToJson(spec);
        var again = ExperimentSpecLoader.Load(json, ExperimentSpecFormat.Json);

        again.Should().Be(spec);
        ExperimentSpecWriter.ToJson(again).Should().Be(json);
    }

    [Fact]
    public void The_two_silo_example_gives_each_of_four_workers_its_own_device()
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan-2-silos.yaml"));

        spec.WorldSize.Should().Be(4);
        spec.BatchSizePerWorker.Should().Be(16);
        spec.Devices.Should().Equal(
            new DeviceAddress("silo-a", DeviceKind.Cpu, 0),
            new DeviceAddress("silo-a", DeviceKind.Cpu, 1),
            new DeviceAddress("silo-b", DeviceKind.Cpu, 0),
            new DeviceAddress("silo-b", DeviceKind.Cpu, 1));
        spec.Shards.Should().Be(new GanPair<int>(3, 3));

        // Left out, so defaulted.
        spec.Checkpoints.Should().Be(CheckpointSpec.Default);
        spec.Dataset.Should().Be(DatasetSpec.Default);
        spec.ThreadsPerWorker.Should().Be(1);
    }

    [Fact]
    public void The_mlp_gan_example_mixes_adam_and_nesterov_sgd()
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-mlp-gan.yaml"));

        spec.Model.Generator.Widths.Should().Equal(256, 512, 1024);
        spec.Model.Discriminator.Widths.Should().Equal(1024, 512, 256);
        spec.Model.ImageSize.Should().Be(28, "the family default");
        spec.Optimizer.Generator.Should().Be(OptimizerSpec.Adam(lr: 0.0002, beta1: 0.5, beta2: 0.999));
        spec.Optimizer.Discriminator.Should().Be(OptimizerSpec.Sgd(lr: 0.01, momentum: 0.9, nesterov: true));
        spec.Dataset.Should().Be(new DatasetSpec("fashion-mnist", "/usr/share/datasets/fashion-mnist", DatasetSplit.Train));
    }
}
