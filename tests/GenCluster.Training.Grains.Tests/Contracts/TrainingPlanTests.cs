using GenCluster.Contracts.Training;

namespace GenCluster.Training.Grains.Tests.Contracts;

public sealed class TrainingPlanTests
{
    private static readonly TrainingPlan Valid = new() { WorldSize = 2, Devices = ["silo-1/cpu:0", "silo-2/cuda:1"] };

    [Fact]
    public void A_valid_plan_has_no_errors() => Valid.Validate().Should().BeEmpty();

    [Fact]
    public void Every_bad_field_is_reported_with_its_path()
    {
        var plan = Valid with
        {
            Model = new ModelSpec { Family = ModelFamily.Dcgan, LatentSize = 0 },
            BatchPerWorker = 1,
            DiscriminatorOptimizer = new AdamSettings { Beta2 = 1.5 },
            DiscriminatorShards = 0,
            Devices = ["silo-1/cpu:0", "no-device-here"],
            StepTimeout = TimeSpan.Zero,
            CheckpointInterval = -1,
            CheckpointsToKeep = 0,
        };

        var errors = plan.Validate();

        errors.Should().HaveCount(8);
        errors.Should().Contain(e => e.StartsWith("checkpointInterval:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("checkpointsToKeep:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("model.latentSize:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("batchPerWorker:", StringComparison.Ordinal) && e.Contains("2..", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("discriminatorOptimizer.beta2:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("discriminatorShards:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("devices[1]:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("stepTimeout:", StringComparison.Ordinal));
        plan.Invoking(p => p.ThrowIfInvalid()).Should().Throw<ArgumentException>().WithMessage("*devices[1]*");
    }

    [Fact]
    public void Checkpoints_are_off_unless_asked_for()
    {
        Valid.CheckpointInterval.Should().Be(0);
        Valid.CheckpointsToKeep.Should().Be(3);
    }

    [Fact]
    public void One_device_per_rank_is_required()
    {
        var errors = (Valid with { WorldSize = 3 }).Validate();
        errors.Should().ContainSingle().Which.Should().StartWith("devices:").And.Contain("3");
    }

    [Theory]
    [InlineData("silo-1/cpu:0", true)]
    [InlineData("gpu-node/cuda:3", true)]
    [InlineData("silo-1/cpu", false)]
    [InlineData("silo-1/tpu:0", false)]
    [InlineData("/cpu:0", false)]
    [InlineData("silo-1/cpu:0/extra", false)]
    public void Device_addresses_are_silo_slash_cpu_or_cuda_index(string text, bool valid)
    {
        var parse = () => DeviceAddress.Parse(text);
        if (valid)
        {
            parse().ToString().Should().Be(text);
        }
        else
        {
            parse.Should().Throw<FormatException>().WithMessage($"*{text.Split('/')[^1]}*");
        }
    }
}
