using System.Text;
using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

public sealed class LoaderTests
{
    [Theory]
    [InlineData("dcgan")]
    [InlineData("mlp-gan")]
    public void A_minimal_spec_gets_every_documented_default(string family)
    {
        var spec = ExperimentSpecLoader.Load($"name: minimal\nmodel:\n  family: {family}\n", ExperimentSpecFormat.Yaml);

        spec.Should().Be(ExperimentSpec.Create("minimal", ModelSpec.ForFamily(family)));
        spec.BatchSize.Should().Be(64);
        spec.Steps.Should().Be(1_000);
        spec.WorldSize.Should().Be(1);
        spec.Shards.Should().Be(new GanPair<int>(1, 1));
        spec.Checkpoints.Should().Be(new CheckpointSpec(1_000, 3));
        spec.Seed.Should().Be(0);
        spec.ThreadsPerWorker.Should().Be(1);
        spec.Devices.Should().BeNull("auto");
        spec.Dataset.Should().Be(new DatasetSpec("fashion-mnist", "debian:fashion-mnist", DatasetSplit.Train));
        spec.Optimizer.Generator.Should().Be(OptimizerSpec.Adam(lr: 2e-4, beta1: 0.5, beta2: 0.999), "the DCGAN recipe");
        spec.Model.LatentDim.Should().Be(100);
        spec.Model.ImageSize.Should().Be(28);
        spec.Model.Channels.Should().Be(1);
    }

    [Fact]
    public void Family_defaults_fill_what_a_network_leaves_out()
    {
        ModelSpec.ForFamily("dcgan").Generator.Should().Be(NetworkSpec.WithFeatureMaps(64));
        ModelSpec.ForFamily("mlp-gan").Generator.Widths.Should().Equal(256, 512, 1024);
        ModelSpec.ForFamily("mlp-gan").Discriminator.Widths.Should().Equal(1024, 512, 256);

        var spec = ExperimentSpecLoader.Load("name: x\nmodel:\n  family: dcgan\n  discriminator: {featureMaps: 32}\n", ExperimentSpecFormat.Yaml);
        spec.Model.Generator.FeatureMaps.Should().Be(64);
        spec.Model.Discriminator.FeatureMaps.Should().Be(32);
    }

    [Fact]
    public void Optimizer_fields_left_out_take_pytorchs_defaults()
    {
        const string yaml = """
            name: x
            model: {family: dcgan}
            optimizer:
              generator: {type: adam}
              discriminator: {type: sgd, lr: 0.1}
            """;

        var spec = ExperimentSpecLoader.Load(yaml, ExperimentSpecFormat.Yaml);

        spec.Optimizer.Generator.Should().Be(new OptimizerSpec(OptimizerType.Adam, 1e-3, 0, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8));
        spec.Optimizer.Discriminator.Should().Be(new OptimizerSpec(OptimizerType.Sgd, 0.1, 0, Momentum: 0, Dampening: 0, Nesterov: false));
    }

    [Fact]
    public void A_dataset_location_defaults_to_the_debian_package_of_its_name()
    {
        var spec = ExperimentSpecLoader.Load("name: x\nmodel: {family: dcgan}\ndataset: {split: test}\n", ExperimentSpecFormat.Yaml);
        spec.Dataset.Should().Be(new DatasetSpec("fashion-mnist", "debian:fashion-mnist", DatasetSplit.Test));

        var explicitDirectory = spec.Dataset with { Location = "/mnt/shared/fashion-mnist" };
        explicitDirectory.ResolveDirectory().Should().Be("/mnt/shared/fashion-mnist");
        var relative = spec.Dataset with { Location = "fashion-mnist" };
        relative.Invoking(d => d.ResolveDirectory()).Should().Throw<InvalidOperationException>().WithMessage("*relative paths are refused*");
    }

    [Theory]
    [InlineData("spec.yaml", "name: x\nmodel: {family: dcgan}\n")]
    [InlineData("spec.YML", "name: x\nmodel: {family: dcgan}\n")]
    [InlineData("spec.json", "{\"name\": \"x\", \"model\": {\"family\": \"dcgan\"}}")]
    public void Files_are_read_in_the_format_their_extension_names(string fileName, string text)
    {
        using var directory = new TemporaryDirectory("spec-files");
        File.WriteAllText(directory.File(fileName), text);

        ExperimentSpecLoader.LoadFile(directory.File(fileName)).Should().Be(ExperimentSpec.Create("x", ModelSpec.ForFamily("dcgan")));
    }

    [Fact]
    public void A_json_file_is_not_read_as_yaml_even_though_it_could_be()
    {
        using var directory = new TemporaryDirectory("spec-files");
        File.WriteAllText(directory.File("spec.json"), "name: x\nmodel: {family: dcgan}\n");

        var load = () => ExperimentSpecLoader.LoadFile(directory.File("spec.json"));

        load.Should().Throw<ExperimentSpecException>().Which.Errors.Single().Message.Should().Contain("not valid JSON");
    }

    [Fact]
    public void An_unknown_extension_is_a_clear_error()
    {
        var load = () => ExperimentSpecLoader.LoadFile("/tmp/spec.txt");

        load.Should().Throw<ExperimentSpecException>().Which.Message.Should().Contain("name it .yaml, .yml or .json");
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_a_clear_error()
    {
        using var directory = new TemporaryDirectory("spec-files");
        File.WriteAllBytes(directory.File("latin1.yaml"), [.. Encoding.ASCII.GetBytes("name: caf"), 0xE9, (byte)'\n']);

        var load = () => ExperimentSpecLoader.LoadFile(directory.File("latin1.yaml"));

        load.Should().Throw<ExperimentSpecException>().Which.Message.Should().Contain("is not valid UTF-8 (at byte 9)");
    }

    [Fact]
    public void Oversized_input_is_refused_before_it_is_parsed()
    {
        using var directory = new TemporaryDirectory("spec-files");
        File.WriteAllBytes(directory.File("huge.yaml"), new byte[ExperimentSpecLoader.MaxFileBytes + 1]);

        var loadFile = () => ExperimentSpecLoader.LoadFile(directory.File("huge.yaml"));
        var loadText = () => ExperimentSpecLoader.Load(new string('#', ExperimentSpecLimits.MaxDocumentLength + 1), ExperimentSpecFormat.Yaml);

        loadFile.Should().Throw<ExperimentSpecException>().Which.Message.Should().Contain("may be at most 4,194,304");
        loadText.Should().Throw<ExperimentSpecException>().Which.Message.Should().Contain("at most 1,048,576 are allowed");
    }

    [Fact]
    public void A_missing_file_is_an_io_error()
    {
        var load = () => ExperimentSpecLoader.LoadFile("/nonexistent/gencluster/spec.yaml");

        load.Should().Throw<IOException>();
    }

    [Fact]
    public void Specs_built_in_code_are_validated_with_paths_but_no_positions()
    {
        var spec = ExperimentSpec.Create("ok", ModelSpec.ForFamily("dcgan")) with
        {
            WorldSize = 0,
            Model = null!,
            Devices = [new DeviceAddress("a", DeviceKind.Cpu, 0), null!],
        };

        var errors = ExperimentSpecValidator.Validate(spec);

        errors.Select(e => e.Path).Should().BeEquivalentTo(["model", "worldSize", "devices[1]"]);
        errors.Should().OnlyContain(e => e.Line == 0 && e.Column == 0);
        spec.Invoking(ExperimentSpecValidator.EnsureValid).Should().Throw<ExperimentSpecException>().Which.Errors.Should().HaveCount(3);
        spec.Invoking(ExperimentSpecWriter.ToJson).Should().Throw<ExperimentSpecException>("only valid specs are written");
    }

    [Fact]
    public void Unknown_families_are_refused_in_code_too()
    {
        var create = () => ModelSpec.ForFamily("stylegan");

        create.Should().Throw<ArgumentException>().WithMessage("*known: dcgan, mlp-gan*");
        ModelFamilies.Names.Should().Equal("dcgan", "mlp-gan");
    }

    [Fact]
    public void The_exception_message_lists_every_error_with_its_position()
    {
        var exception = new ExperimentSpecException([new SpecError("steps", "must be from 1", 3, 8), new SpecError(string.Empty, "bad", 0, 0)]);

        exception.Message.Should().Be("invalid experiment spec (2 errors):\n  steps (line 3, column 8): must be from 1\n  (document): bad");
    }
}
