using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;
using GenCluster.Contracts.Training;
using PlanFamily = GenCluster.Contracts.Training.ModelFamily;

namespace GenCluster.Contracts.Tests.Experiments;

public sealed class TrainingPlanMapperTests
{
    private const string Checkpointless = "checkpoints: {interval: 0}\n";

    private static (ExperimentSpec Spec, TrainingPlan Plan) Load(string yaml, IReadOnlyList<string>? advertised = null) =>
        TrainingPlanMapper.Load(yaml, ExperimentSpecFormat.Yaml, advertised);

    private static IReadOnlyList<SpecError> Refusals(string yaml, IReadOnlyList<string>? advertised = null)
    {
        var act = () => Load(yaml, advertised);
        return act.Should().Throw<ExperimentSpecException>().Which.Errors;
    }

    [Fact]
    public void Every_field_of_a_dcgan_spec_lands_in_the_plan()
    {
        var (spec, plan) = Load("""
            name: e1
            model: {family: dcgan, latentDim: 12, generator: {featureMaps: 8}, discriminator: {featureMaps: 6}}
            dataset: {split: test}
            batchSize: 48
            steps: 77
            optimizer:
              generator: {type: adam, lr: 0.003, betas: [0.4, 0.95], eps: 1.0e-6, weightDecay: 0.01}
              discriminator: {type: adam, lr: 0.0005}
            worldSize: 3
            shards: {generator: 2, discriminator: 5}
            checkpoints: {interval: 0}
            seed: 9000000000
            threadsPerWorker: 2
            devices: [a/cpu:0, b/cpu:1, a/cpu:1]
            """);

        plan.Model.Should().Be(new Training.ModelSpec { Family = PlanFamily.Dcgan, LatentSize = 12, GeneratorWidth = 8, DiscriminatorWidth = 6 });
        plan.Dataset.Should().Be("fashion-mnist");
        plan.DatasetSplit.Should().Be("test");
        plan.BatchPerWorker.Should().Be(16, "48 images over 3 workers");
        plan.Steps.Should().Be(77);
        plan.GeneratorOptimizer.Should().Be(new AdamSettings { LearningRate = 0.003, Beta1 = 0.4, Beta2 = 0.95, Epsilon = 1e-6, WeightDecay = 0.01 });
        plan.DiscriminatorOptimizer.Should().Be(new AdamSettings { LearningRate = 0.0005, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8 }, "PyTorch's Adam defaults");
        plan.WorldSize.Should().Be(3);
        plan.GeneratorShards.Should().Be(2);
        plan.DiscriminatorShards.Should().Be(5);
        plan.Seed.Should().Be(9_000_000_000UL);
        plan.ThreadsPerWorker.Should().Be(2);
        plan.Devices.Should().Equal("a/cpu:0", "b/cpu:1", "a/cpu:1");
        plan.Validate().Should().BeEmpty();
        spec.Name.Should().Be("e1");
    }

    [Fact]
    public void An_mlp_gan_with_one_hidden_layer_per_network_maps_its_widths()
    {
        var (_, plan) = Load("name: m\nmodel: {family: mlp-gan, latentDim: 5, generator: {widths: [33]}, discriminator: {widths: [21]}}\n"
            + "worldSize: 2\ndevices: [s/cpu:0, t/cpu:0]\n" + Checkpointless);

        plan.Model.Should().Be(new Training.ModelSpec { Family = PlanFamily.MlpGan, LatentSize = 5, GeneratorWidth = 33, DiscriminatorWidth = 21 });
        plan.BatchPerWorker.Should().Be(32);
    }

    [Fact]
    public void Auto_devices_spread_round_robin_over_the_silos_before_doubling_up()
    {
        string[] advertised = ["silo-a/cpu:0", "silo-a/cpu:1", "silo-a/cpu:2", "silo-b/cpu:0", "silo-b/cpu:1", "silo-c/cpu:0"];

        TrainingPlanMapper.AssignDevices(5, advertised).Should().Equal("silo-a/cpu:0", "silo-b/cpu:0", "silo-c/cpu:0", "silo-a/cpu:1", "silo-b/cpu:1");
        TrainingPlanMapper.AssignDevices(6, advertised).Should().Equal(
            "silo-a/cpu:0", "silo-b/cpu:0", "silo-c/cpu:0", "silo-a/cpu:1", "silo-b/cpu:1", "silo-a/cpu:2");
        TrainingPlanMapper.AssignDevices(7, advertised).Should().BeNull("there are six devices");
        TrainingPlanMapper.AssignDevices(2, ["x/cuda:0", "x/cpu:0", "y/cpu:0"]).Should().Equal("x/cpu:0", "y/cpu:0");

        var (_, plan) = Load("name: auto\nmodel: {family: dcgan}\nworldSize: 4\n" + Checkpointless, advertised);
        plan.Devices.Should().Equal("silo-a/cpu:0", "silo-b/cpu:0", "silo-c/cpu:0", "silo-a/cpu:1");
    }

    [Fact]
    public void Auto_devices_with_too_few_advertised_or_no_cluster_are_refused_naming_the_field()
    {
        var tooFew = Refusals("name: auto\nmodel: {family: dcgan}\nworldSize: 4\n" + Checkpointless, ["a/cpu:0", "b/cpu:0", "b/cuda:0"]);
        tooFew.Should().ContainSingle().Which.Path.Should().Be("devices");
        tooFew[0].Message.Should().Contain("worldSize 4").And.Contain("a/cpu:0, b/cpu:0, b/cuda:0");

        var noCluster = Refusals("name: auto\nmodel: {family: dcgan}\n" + Checkpointless);
        noCluster.Should().ContainSingle().Which.Message.Should().Contain("auto");
    }

    [Fact]
    public void Unsupported_fields_are_all_refused_with_path_line_and_column()
    {
        var errors = Refusals("""
            name: bad
            model:
              family: mlp-gan
              generator: {widths: [64, 128]}
              discriminator: {widths: [8000]}
            dataset: {location: /srv/data/fmnist}
            steps: 20000000
            optimizer:
              discriminator: {type: sgd, lr: 0.1}
            worldSize: 2
            checkpoints: {interval: 20000000}
            devices: [a/cpu:0, a/cuda:0]
            """);

        errors.Select(e => e.Path).Should().Equal(
            "model.generator.widths",
            "model.discriminator.widths[0]",
            "dataset.location",
            "steps",
            "optimizer.discriminator.type",
            "checkpoints.interval",
            "devices[1]");
        errors.Should().OnlyContain(e => e.Line > 0 && e.Column > 0, "every refused field is located in the text");
        errors.Single(e => e.Path == "steps").Line.Should().Be(7);
        errors.Single(e => e.Path == "devices[1]").Message.Should().Contain("CUDA");
        errors.Single(e => e.Path == "optimizer.discriminator.type").Message.Should().Contain("Adam");
        errors.Single(e => e.Path == "checkpoints.interval").Message.Should().Contain("0 turns checkpoints off");
    }

    [Fact]
    public void Checkpoint_interval_and_retention_map_onto_the_plan_with_the_spec_defaults()
    {
        var (_, defaults) = Load("name: c\nmodel: {family: dcgan}\ndevices: [a/cpu:0]\n");
        defaults.CheckpointInterval.Should().Be(1_000);
        defaults.CheckpointsToKeep.Should().Be(3);

        var (_, explicitly) = Load("name: c\nmodel: {family: dcgan}\ndevices: [a/cpu:0]\ncheckpoints: {interval: 25, keep: 7}\n");
        explicitly.CheckpointInterval.Should().Be(25);
        explicitly.CheckpointsToKeep.Should().Be(7);

        var (_, off) = Load("name: c\nmodel: {family: dcgan}\ndevices: [a/cpu:0]\n" + Checkpointless);
        off.CheckpointInterval.Should().Be(0);
    }

    [Fact]
    public void An_invalid_spec_reports_the_validators_errors_before_any_mapping()
    {
        var errors = Refusals("name: v\nmodel: {family: dcgan}\nbatchSize: 65\nworldSize: 2\ncheckpoints: {interval: 500}\n");

        errors.Should().ContainSingle().Which.Path.Should().Be("batchSize");
    }

    [Fact]
    public void Specs_built_in_code_map_the_same_way()
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan-2-silos.yaml"));
        var plan = TrainingPlanMapper.Map(spec);
        plan.CheckpointInterval.Should().Be((int)spec.Checkpoints.Interval);
        plan.CheckpointsToKeep.Should().Be(spec.Checkpoints.Keep);
        plan.WorldSize.Should().Be(4);
        plan.BatchPerWorker.Should().Be(16);
        plan.GeneratorShards.Should().Be(3);
        plan.Devices.Should().Equal("silo-a/cpu:0", "silo-a/cpu:1", "silo-b/cpu:0", "silo-b/cpu:1");
    }
}
