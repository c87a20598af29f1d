using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>
/// Every field's bad values: each case edits one valid spec and expects exactly one error, at the field's path, saying
/// why. Each case runs through both readers (the edited spec is JSON, which is also YAML) unless its value is YAML only.
/// </summary>
public sealed class FieldValidationTests
{
    private static readonly string s_longName = new('n', 65);

    /// <summary>(edit, expected path, fragment of the message).</summary>
    private static readonly Dictionary<string, (Action<SpecDocument> Edit, string Path, string Message)> s_cases = new()
    {
        ["name missing"] = (d => d.Remove("name"), "name", "is required"),
        ["name empty"] = (d => d.Set("name", "\"\""), "name", "is required"),
        ["name with slash"] = (d => d.Set("name", "\"exp/42\""), "name", "letters, digits"),
        ["name starting with dash"] = (d => d.Set("name", "\"-exp\""), "name", "starting with a letter or digit"),
        ["name too long"] = (d => d.Set("name", $"\"{s_longName}\""), "name", "1 to 64"),
        ["name not a string"] = (d => d.Set("name", "123"), "name", "must be a string; got the integer 123"),
        ["name null"] = (d => d.Set("name", "null"), "name", "must be a string; got null"),

        ["model missing"] = (d => d.Remove("model"), "model", "is required"),
        ["model a string"] = (d => d.Set("model", "\"dcgan\""), "model", "must be a mapping"),
        ["family missing"] = (d => d.Remove("model.family"), "model.family", "is required"),
        ["family unknown"] = (d => d.Set("model.family", "\"stylegan\""), "model.family", "unknown model family 'stylegan'"),
        ["family misspelt"] = (d => d.Set("model.family", "\"dcgn\""), "model.family", "did you mean 'dcgan'?"),
        ["family a number"] = (d => d.Set("model.family", "5"), "model.family", "must be a string"),
        ["model unknown key"] = (d => d.Set("model.latent_dim", "100"), "model.latent_dim", "did you mean 'latentDim'?"),
        ["latentDim zero"] = (d => d.Set("model.latentDim", "0"), "model.latentDim", "must be from 1 to 4,096; got 0"),
        ["latentDim negative"] = (d => d.Set("model.latentDim", "-1"), "model.latentDim", "got -1"),
        ["latentDim too large"] = (d => d.Set("model.latentDim", "4097"), "model.latentDim", "must be from 1 to 4,096"),
        ["latentDim fractional"] = (d => d.Set("model.latentDim", "1.5"), "model.latentDim", "must be a whole number; got the number 1.5"),
        ["latentDim a string"] = (d => d.Set("model.latentDim", "\"100\""), "model.latentDim", "must be a whole number; got the string '100'"),
        ["latentDim beyond 32 bits"] = (d => d.Set("model.latentDim", "100000000000"), "model.latentDim", "must fit in 32 bits"),
        ["imageSize zero"] = (d => d.Set("model.imageSize", "0"), "model.imageSize", "must be from 1 to 1,024"),
        ["imageSize too large"] = (d => d.Set("model.imageSize", "1025"), "model.imageSize", "must be from 1 to 1,024"),
        ["imageSize not 28 for dcgan"] = (d => d.Set("model.imageSize", "32"), "model.imageSize", "must be 28 for dcgan"),
        ["channels zero"] = (d => d.Set("model.channels", "0"), "model.channels", "must be from 1 to 4"),
        ["channels too many"] = (d => d.Set("model.channels", "5"), "model.channels", "must be from 1 to 4"),
        ["channels not the dataset's"] = (d => d.Set("model.channels", "3"), "model.channels", "must be 1 to match dataset fashion-mnist"),
        ["generator a list"] = (d => d.Set("model.generator", "[64]"), "model.generator", "must be a mapping"),
        ["generator unknown key"] = (d => d.Set("model.generator.featureMap", "64"), "model.generator.featureMap", "did you mean 'featureMaps'?"),
        ["featureMaps zero"] = (d => d.Set("model.generator.featureMaps", "0"), "model.generator.featureMaps", "must be from 1 to 1,024; got 0"),
        ["featureMaps too many"] = (d => d.Set("model.discriminator.featureMaps", "1025"), "model.discriminator.featureMaps", "must be from 1 to 1,024"),
        ["featureMaps a string"] = (d => d.Set("model.generator.featureMaps", "\"64\""), "model.generator.featureMaps", "must be a whole number"),
        ["widths on dcgan"] = (d => d.Set("model.generator.widths", "[256]"), "model.generator.widths", "dcgan networks have no widths"),

        ["mlp widths empty"] = (d => MlpGan(d).Set("model.generator.widths", "[]"), "model.generator.widths", "1 to 16 hidden layer widths; got 0"),
        ["mlp width zero"] = (d => MlpGan(d).Set("model.generator.widths", "[256, 0]"), "model.generator.widths[1]", "must be from 1 to 16,384; got 0"),
        ["mlp width too wide"] = (d => MlpGan(d).Set("model.discriminator.widths", "[16385]"), "model.discriminator.widths[0]", "must be from 1 to 16,384"),
        ["mlp width a string"] = (d => MlpGan(d).Set("model.discriminator.widths", "[256, \"x\"]"), "model.discriminator.widths[1]", "must be a whole number"),
        ["mlp too many layers"] = (d => MlpGan(d).Set("model.generator.widths", "[" + string.Join(", ", Enumerable.Repeat(8, 17)) + "]"), "model.generator.widths", "1 to 16 hidden layer widths; got 17"),
        ["mlp widths not a list"] = (d => MlpGan(d).Set("model.generator.widths", "256"), "model.generator.widths", "must be a list of whole numbers"),
        ["featureMaps on mlp-gan"] = (d => MlpGan(d).Set("model.discriminator.featureMaps", "64"), "model.discriminator.featureMaps", "mlp-gan networks have no featureMaps"),
        ["mlp too many parameters"] = (d => MlpGan(d).Set("model.generator.widths", "[" + string.Join(", ", Enumerable.Repeat(16_384, 16)) + "]"), "model.generator", "at most 2,147,483,647"),

        ["dataset a string"] = (d => d.Set("dataset", "\"fashion-mnist\""), "dataset", "must be a mapping"),
        ["dataset unknown"] = (d => d.Set("dataset.name", "\"cifar10\""), "dataset.name", "unknown dataset 'cifar10'"),
        ["dataset misspelt"] = (d => d.Set("dataset.name", "\"fashion-minst\""), "dataset.name", "did you mean 'fashion-mnist'?"),
        ["location relative"] = (d => d.Set("dataset.location", "\"data/fashion-mnist\""), "dataset.location", "relative paths are refused"),
        ["location empty debian name"] = (d => d.Set("dataset.location", "\"debian:\""), "dataset.location", "after debian: comes a directory name"),
        ["location upper-case debian name"] = (d => d.Set("dataset.location", "\"debian:Fashion\""), "dataset.location", "after debian: comes a directory name"),
        ["location with dot-dot"] = (d => d.Set("dataset.location", "\"/data/../etc\""), "dataset.location", "contains a '..' segment"),
        ["location empty"] = (d => d.Set("dataset.location", "\"\""), "dataset.location", "must be debian:NAME"),
        ["location with control character"] = (d => d.Set("dataset.location", "\"/data/\\u0007x\""), "dataset.location", "control character U+0007"),
        ["split unknown"] = (d => d.Set("dataset.split", "\"validation\""), "dataset.split", "must be one of train, test"),
        ["split misspelt"] = (d => d.Set("dataset.split", "\"tset\""), "dataset.split", "did you mean 'test'?"),
        ["split a number"] = (d => d.Set("dataset.split", "1"), "dataset.split", "must be one of train, test; got the integer 1"),
        ["dataset unknown key"] = (d => d.Set("dataset.path", "\"/x\""), "dataset.path", "unknown key 'path'"),

        ["batchSize zero"] = (d => d.Set("batchSize", "0"), "batchSize", "must be from 1 to 65,536; got 0"),
        ["batchSize too large"] = (d => d.Set("batchSize", "65537"), "batchSize", "must be from 1 to 65,536"),
        ["batchSize a string"] = (d => d.Set("batchSize", "\"64\""), "batchSize", "must be a whole number"),
        ["batchSize not divisible"] = (d => d.Set("worldSize", "3"), "batchSize", "64 is not divisible by worldSize 3"),
        ["batchSize one image per dcgan worker"] = (d => d.Set("batchSize", "4").Set("worldSize", "4"), "batchSize", "dcgan needs at least 2 per worker"),
        ["batchSize above the split"] = (d => d.Set("dataset.split", "\"test\"").Set("batchSize", "20000"), "batchSize", "exceeds the 10,000 images of fashion-mnist's test split"),
        ["steps zero"] = (d => d.Set("steps", "0"), "steps", "must be from 1 to 1,000,000,000; got 0"),
        ["steps too many"] = (d => d.Set("steps", "1000000001"), "steps", "must be from 1 to 1,000,000,000"),
        ["steps negative"] = (d => d.Set("steps", "-5"), "steps", "got -5"),
        ["steps as float"] = (d => d.Set("steps", "1e3"), "steps", "must be a whole number; got the number 1000"),

        ["optimizer a list"] = (d => d.Set("optimizer", "[]"), "optimizer", "must be a mapping"),
        ["optimizer unknown key"] = (d => d.Set("optimizer.generater", "{}"), "optimizer.generater", "did you mean 'generator'?"),
        ["optimizer type unknown"] = (d => d.Set("optimizer.generator.type", "\"rmsprop\""), "optimizer.generator.type", "must be one of adam, sgd"),
        ["optimizer type misspelt"] = (d => d.Set("optimizer.generator.type", "\"adma\""), "optimizer.generator.type", "did you mean 'adam'?"),
        ["lr zero"] = (d => d.Set("optimizer.generator.lr", "0"), "optimizer.generator.lr", "must be a finite number > 0; got 0"),
        ["lr negative"] = (d => d.Set("optimizer.discriminator.lr", "-0.001"), "optimizer.discriminator.lr", "must be a finite number > 0"),
        ["lr not a number"] = (d => d.Set("optimizer.generator.lr", ".nan"), "optimizer.generator.lr", "got NaN"),
        ["lr infinite"] = (d => d.Set("optimizer.generator.lr", ".inf"), "optimizer.generator.lr", "got infinity"),
        ["lr a string"] = (d => d.Set("optimizer.generator.lr", "\"2e-4\""), "optimizer.generator.lr", "must be a number; got the string"),
        ["betas one number"] = (d => d.Set("optimizer.generator.betas", "[0.5]"), "optimizer.generator.betas", "a list of two numbers"),
        ["betas not a list"] = (d => d.Set("optimizer.generator.betas", "0.5"), "optimizer.generator.betas", "a list of two numbers"),
        ["beta1 of one"] = (d => d.Set("optimizer.generator.betas", "[1.0, 0.999]"), "optimizer.generator.betas[0]", "≥ 0 and < 1; got 1"),
        ["beta2 negative"] = (d => d.Set("optimizer.discriminator.betas", "[0.5, -0.1]"), "optimizer.discriminator.betas[1]", "≥ 0 and < 1"),
        ["beta a string"] = (d => d.Set("optimizer.generator.betas", "[0.5, \"x\"]"), "optimizer.generator.betas[1]", "must be a number"),
        ["eps negative"] = (d => d.Set("optimizer.generator.eps", "-1e-8"), "optimizer.generator.eps", "must be a finite number ≥ 0"),
        ["weightDecay negative"] = (d => d.Set("optimizer.generator.weightDecay", "-0.1"), "optimizer.generator.weightDecay", "must be a finite number ≥ 0"),
        ["momentum on adam"] = (d => d.Set("optimizer.generator.momentum", "0.9"), "optimizer.generator.momentum", "is a setting of sgd; adam has no momentum"),
        ["nesterov on adam"] = (d => d.Set("optimizer.discriminator.nesterov", "true"), "optimizer.discriminator.nesterov", "is a setting of sgd"),
        ["sgd without lr"] = (d => Sgd(d).Remove("optimizer.generator.lr"), "optimizer.generator.lr", "is required for sgd"),
        ["sgd with betas"] = (d => Sgd(d).Set("optimizer.generator.betas", "[0.5, 0.999]"), "optimizer.generator.betas", "is a setting of adam; sgd has no betas"),
        ["sgd with eps"] = (d => Sgd(d).Set("optimizer.generator.eps", "1e-8"), "optimizer.generator.eps", "is a setting of adam"),
        ["sgd momentum negative"] = (d => Sgd(d).Set("optimizer.generator.momentum", "-0.5"), "optimizer.generator.momentum", "must be a finite number ≥ 0"),
        ["sgd dampening above one"] = (d => Sgd(d).Set("optimizer.generator.dampening", "2"), "optimizer.generator.dampening", "≥ 0 and ≤ 1; got 2"),
        ["sgd nesterov without momentum"] = (d => Sgd(d).Set("optimizer.generator.nesterov", "true"), "optimizer.generator.nesterov", "needs momentum > 0 and dampening 0"),
        ["sgd nesterov with dampening"] = (d => Sgd(d).Set("optimizer.generator.nesterov", "true").Set("optimizer.generator.momentum", "0.9").Set("optimizer.generator.dampening", "0.1"), "optimizer.generator.nesterov", "needs momentum > 0 and dampening 0"),
        ["sgd nesterov yes is a string"] = (d => Sgd(d).Set("optimizer.generator.nesterov", "yes"), "optimizer.generator.nesterov", "must be true or false; got the string 'yes'"),
        ["optimizer unknown setting"] = (d => d.Set("optimizer.generator.amsgrad", "true"), "optimizer.generator.amsgrad", "unknown key 'amsgrad'"),

        ["worldSize zero"] = (d => d.Set("worldSize", "0"), "worldSize", "must be from 1 to 1,024; got 0"),
        ["worldSize too large"] = (d => d.Set("worldSize", "1025"), "worldSize", "must be from 1 to 1,024"),
        ["worldSize a bool"] = (d => d.Set("worldSize", "true"), "worldSize", "must be a whole number; got the boolean true"),

        ["shards a number"] = (d => d.Set("shards", "4"), "shards", "must be a mapping"),
        ["shards zero"] = (d => d.Set("shards.generator", "0"), "shards.generator", "must be from 1 to 4,096; got 0"),
        ["shards too many"] = (d => d.Set("shards.discriminator", "4097"), "shards.discriminator", "must be from 1 to 4,096"),
        ["shards beyond parameters"] = (d => TinyMlp(d).Set("shards.discriminator", "2000"), "shards.discriminator", "exceed the 787 parameters of the discriminator"),
        ["shards unknown key"] = (d => d.Set("shards.both", "2"), "shards.both", "unknown key 'both'"),

        ["checkpoint interval negative"] = (d => d.Set("checkpoints.interval", "-1"), "checkpoints.interval", "must be from 0 to 1,000,000,000; got -1"),
        ["checkpoint interval too large"] = (d => d.Set("checkpoints.interval", "1000000001"), "checkpoints.interval", "must be from 0 to 1,000,000,000"),
        ["checkpoint keep zero"] = (d => d.Set("checkpoints.keep", "0"), "checkpoints.keep", "must be from 1 to 1,000; got 0"),
        ["checkpoint keep too many"] = (d => d.Set("checkpoints.keep", "1001"), "checkpoints.keep", "must be from 1 to 1,000"),
        ["checkpoints unknown key"] = (d => d.Set("checkpoints.every", "10"), "checkpoints.every", "unknown key 'every'"),

        ["seed negative"] = (d => d.Set("seed", "-1"), "seed", "must be at least 0; got -1"),
        ["seed a string"] = (d => d.Set("seed", "\"1\""), "seed", "must be a whole number"),
        ["seed beyond 64 bits"] = (d => d.Set("seed", "18446744073709551615"), string.Empty, "does not fit in 64 bits"),

        ["threads zero"] = (d => d.Set("threadsPerWorker", "0"), "threadsPerWorker", "must be from 1 to 256; got 0"),
        ["threads too many"] = (d => d.Set("threadsPerWorker", "257"), "threadsPerWorker", "must be from 1 to 256"),

        ["devices a word"] = (d => d.Set("devices", "\"all\""), "devices", "must be auto or a list of devices"),
        ["devices count"] = (d => d.Set("worldSize", "2").Set("devices", "[\"silo-a/cpu:0\"]"), "devices", "lists 1 device(s) but worldSize is 2"),
        ["device kind"] = (d => TwoWorkers(d, "\"silo-a/cpu:0\"", "\"silo-a/gpu:0\""), "devices[1]", "device kind 'gpu'; the kinds are cpu and cuda"),
        ["device leading zero"] = (d => TwoWorkers(d, "\"silo-a/cpu:01\"", "\"silo-a/cpu:1\""), "devices[0]", "without leading zeros"),
        ["device index too large"] = (d => TwoWorkers(d, "\"silo-a/cuda:0\"", "\"silo-a/cuda:1024\""), "devices[1]", "from 0 to 1023"),
        ["device without silo"] = (d => TwoWorkers(d, "\"cpu:0\"", "\"silo-a/cpu:1\""), "devices[0]", "is not of the form silo/kind:index"),
        ["device bad silo name"] = (d => TwoWorkers(d, "\"silo a/cpu:0\"", "\"silo-a/cpu:1\""), "devices[0]", "silo name 'silo a'"),
        ["device not a string"] = (d => TwoWorkers(d, "\"silo-a/cpu:0\"", "7"), "devices[1]", "must be a device string"),
        ["device repeated"] = (d => TwoWorkers(d, "\"silo-b/cuda:1\"", "\"silo-b/cuda:1\""), "devices[1]", "repeats devices[0] (silo-b/cuda:1)"),

        ["root unknown key"] = (d => d.Set("batch_size", "64"), "batch_size", "did you mean 'batchSize'?"),
        ["root unknown key far from any"] = (d => d.Set("colour", "\"red\""), "colour", "unknown key 'colour'; the keys of a spec are name, model"),
    };

    public static TheoryData<string> Cases() => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_value_is_rejected_with_its_path_and_why(string name)
    {
        var (edit, path, message) = s_cases[name];
        var document = new SpecDocument();
        edit(document);
        string text = document.ToText();

        var formats = document.IsJson ? new[] { ExperimentSpecFormat.Json, ExperimentSpecFormat.Yaml } : [ExperimentSpecFormat.Yaml];
        foreach (var format in formats)
        {
            var errors = SpecAssertions.Rejected(text, format);

            errors.Should().ContainSingle($"{format} should report one error for: {name}\n{text}");
            errors[0].Path.Should().Be(path, $"{format}: {errors[0]}");
            errors[0].Message.Should().Contain(message, $"{format}: {errors[0]}");
            errors[0].Line.Should().BePositive($"an error in text points at it ({format})");
        }
    }

    [Fact]
    public void Each_case_starts_from_a_valid_spec()
    {
        string text = new SpecDocument().ToText();

        ExperimentSpecLoader.Load(text, ExperimentSpecFormat.Json).Should().Be(ExperimentSpecLoader.Load(text, ExperimentSpecFormat.Yaml));
        ExperimentSpecLoader.Load(TinyMlp(new SpecDocument()).ToText(), ExperimentSpecFormat.Json).Model.Family.Should().Be("mlp-gan");
        ExperimentSpecLoader.Load(Sgd(new SpecDocument()).ToText(), ExperimentSpecFormat.Json).Optimizer.Generator.Type.Should().Be(OptimizerType.Sgd);
        ExperimentSpecLoader.Load(TwoWorkers(new SpecDocument(), "\"a/cpu:0\"", "\"b/cuda:7\"").ToText(), ExperimentSpecFormat.Json).Devices.Should().HaveCount(2);
    }

    [Fact]
    public void Every_error_is_reported_at_once_in_document_order()
    {
        const string yaml = """
            name: bad/name
            model:
              family: dcgan
              latentDim: 0
              generator: {featureMaps: 2000}
            batchSize: 64
            worldSize: 3
            optimizer:
              generator: {type: adam, lr: -1, betas: [0.5, 1.5]}
              discriminator: {type: sgd, lr: 0.1, nesterov: true}
            shards: {generator: 0, discriminator: 5000}
            checkpoints: {keep: 0}
            seed: -3
            threadsPerWorker: 999
            devices: [a/cpu:0, a/tpu:0]
            colour: red
            """;

        var errors = SpecAssertions.Rejected(yaml, ExperimentSpecFormat.Yaml);

        errors.Select(e => e.Path).Should().Equal(
            "name",
            "model.latentDim",
            "model.generator.featureMaps",
            "batchSize",
            "optimizer.generator.lr",
            "optimizer.generator.betas[1]",
            "optimizer.discriminator.nesterov",
            "shards.generator",
            "shards.discriminator",
            "checkpoints.keep",
            "seed",
            "threadsPerWorker",
            "devices",
            "devices[1]",
            "colour");
        errors.Select(e => e.Line).Should().BeInAscendingOrder();
        errors.Should().OnlyContain(e => e.Line > 0 && e.Column > 0);
        errors.Single(e => e.Path == "model.generator.featureMaps").Should().Match<SpecError>(e => e.Line == 5 && e.Column == 28);
        errors.Single(e => e.Path == "devices[1]").Should().Match<SpecError>(e => e.Line == 15 && e.Column == 20);
    }

    [Fact]
    public void A_default_that_breaks_a_rule_is_reported_at_the_nearest_field_written()
    {
        // batchSize is left at its default (64), which 5 workers cannot split.
        const string yaml = "name: x\nmodel:\n  family: dcgan\nworldSize: 5\n";

        var error = SpecAssertions.Rejected(yaml, ExperimentSpecFormat.Yaml).Should().ContainSingle().Which;

        error.Path.Should().Be("batchSize");
        error.Message.Should().Contain("64 is not divisible by worldSize 5");
        error.Line.Should().Be(0, "batchSize does not appear in the text, nor does any mapping holding it");
    }

    [Fact]
    public void A_spec_that_is_not_a_mapping_is_rejected_as_a_whole()
    {
        SpecAssertions.Rejected("- name: x\n", ExperimentSpecFormat.Yaml).Should().ContainSingle()
            .Which.Message.Should().Contain("a spec is a mapping of fields").And.Contain("got a list");
        SpecAssertions.Rejected("# nothing here\n", ExperimentSpecFormat.Yaml).Should().ContainSingle()
            .Which.Message.Should().Contain("the document is empty");
        SpecAssertions.Rejected("\"x\"", ExperimentSpecFormat.Json).Should().ContainSingle()
            .Which.Message.Should().Contain("got the string 'x'");
    }

    [Fact]
    public void Non_string_keys_are_rejected()
    {
        var error = SpecAssertions.Rejected("name: x\nmodel: {family: dcgan}\n1: one\n", ExperimentSpecFormat.Yaml).Should().ContainSingle().Which;

        error.Message.Should().Contain("keys must be strings; got the integer 1");
        (error.Line, error.Column).Should().Be((3, 1));
    }

    private static SpecDocument MlpGan(SpecDocument d) => d
        .Set("model.family", "\"mlp-gan\"")
        .Remove("model.generator.featureMaps")
        .Remove("model.discriminator.featureMaps");

    /// <summary>An MLP GAN small enough for shards to outnumber its parameters: D = 784·1+1 + 1·1+1 = 787.</summary>
    private static SpecDocument TinyMlp(SpecDocument d) => MlpGan(d)
        .Set("model.latentDim", "1")
        .Set("model.generator.widths", "[1]")
        .Set("model.discriminator.widths", "[1]");

    private static SpecDocument Sgd(SpecDocument d) => d
        .Set("optimizer.generator.type", "\"sgd\"")
        .Set("optimizer.generator.lr", "0.01")
        .Remove("optimizer.generator.betas")
        .Remove("optimizer.generator.eps");

    private static SpecDocument TwoWorkers(SpecDocument d, string first, string second) => d
        .Set("worldSize", "2")
        .Set("devices", $"[{first}, {second}]");
}
