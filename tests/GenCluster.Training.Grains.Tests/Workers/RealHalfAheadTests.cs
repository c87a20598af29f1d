using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Training.Gan;
using GenCluster.Training.Grains.Tests.Support;
using GenCluster.Training.Grains.Workers;

namespace GenCluster.Training.Grains.Tests.Workers;

/// <summary>
/// The next step's real half, run while the previous step's G buckets are on the wire, changes nothing: the same
/// gradients, losses and BatchNorm statistics as running it in its place, and no trace when it is not used.
/// </summary>
public sealed class RealHalfAheadTests
{
    private static readonly Lazy<FashionMnist> Data = new(() => new FashionMnist(FashionMnistSplit.Test));
    private static readonly TrainingPlan Plan = TestPlans.Small(ModelFamily.Dcgan, worldSize: 2, shards: 1, ["silo-1"]);

    [Fact]
    public void Running_the_real_half_ahead_gives_the_step_it_would_have_given_in_place()
    {
        using var inPlace = new WorkerReplica(Plan, rank: 1, Data.Value);
        using var ahead = new WorkerReplica(Plan, rank: 1, Data.Value);
        for (var step = 0L; step < 3; step++)
        {
            var expected = Step(inPlace, step);
            ahead.RunRealHalfAhead(step).Should().BePositive();
            var actual = Step(ahead, step);
            actual.Phase.Should().Be(expected.Phase);
            actual.Gradients.Should().Equal(expected.Gradients, $"step {step}");
            actual.Statistics.Should().Equal(expected.Statistics, "D's running statistics saw the same batches in the same order");
        }
    }

    [Fact]
    public void Reading_running_statistics_or_writing_D_discards_a_real_half_and_its_trace()
    {
        using var replica = new WorkerReplica(Plan, rank: 0, Data.Value);
        var before = replica.CopyRunningStatistics(ModelRole.Discriminator);

        replica.RunRealHalfAhead(0);
        replica.CopyRunningStatistics(ModelRole.Discriminator).Should().Equal(before, "the run-ahead forward pass is undone");

        using var reference = new WorkerReplica(Plan, rank: 0, Data.Value);
        var shifted = replica.CopyParameters(ModelRole.Discriminator, 0, (int)replica.ParameterCount(ModelRole.Discriminator)).Select(v => v * 0.5f).ToArray();
        replica.RunRealHalfAhead(0);
        replica.WriteParameters(ModelRole.Discriminator, 0, shifted);
        reference.WriteParameters(ModelRole.Discriminator, 0, shifted);

        // The real half ran with the old weights; the step must use the new ones.
        var actual = Step(replica, 0);
        var expected = Step(reference, 0);
        actual.Gradients.Should().Equal(expected.Gradients);
        actual.Statistics.Should().Equal(expected.Statistics);
    }

    [Fact]
    public void A_real_half_run_ahead_for_another_step_is_redone()
    {
        using var replica = new WorkerReplica(Plan, rank: 0, Data.Value);
        using var reference = new WorkerReplica(Plan, rank: 0, Data.Value);
        replica.RunRealHalfAhead(5);
        Step(replica, 0).Gradients.Should().Equal(Step(reference, 0).Gradients);
    }

    private static (DiscriminatorPhase Phase, float[] Gradients, float[] Statistics) Step(WorkerReplica replica, long step)
    {
        var phase = replica.DiscriminatorBackward(step);
        var gradients = replica.CopyGradients(ModelRole.Discriminator, 0, (int)replica.ParameterCount(ModelRole.Discriminator));
        gradients.Should().Contain(v => v != 0);
        var statistics = replica.CopyRunningStatistics(ModelRole.Discriminator);
        replica.GeneratorBackward();
        return (phase, gradients, statistics);
    }
}
