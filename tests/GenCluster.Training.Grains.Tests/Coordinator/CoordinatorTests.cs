using GenCluster.Contracts.Training;
using GenCluster.Datasets;
using GenCluster.Training.Gan;
using GenCluster.Training.Grains.Tests.Support;
using GenCluster.Training.Local;
using GenCluster.Training.Optim;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Coordinator;

/// <summary>The coordinator's lifecycle, progress stream and failures, on two in-process silos.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class CoordinatorTests(InProcessCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private static readonly string[] Silos = ["silo-1", "silo-2"];

    private IExperimentCoordinatorGrain Coordinator(string id) => cluster.Client.GetGrain<IExperimentCoordinatorGrain>(id);

    [Fact]
    public async Task Progress_events_reach_a_client_in_order_from_submission_to_completion()
    {
        var id = NewId("events");
        var plan = TestPlans.Small(ModelFamily.MlpGan, 2, 2, Silos, steps: 12);

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        events.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), "sequence numbers have no gaps");
        events[0].State.Should().Be(ExperimentState.Submitted);
        events[1].State.Should().Be(ExperimentState.Running);
        events[1].Message.Should().Contain("silo-1/cpu:0").And.Contain("silo-2/cpu:0");
        var steps = events.Where(e => e.Step is not null).Select(e => e.Step!).ToList();
        steps.Select(s => s.Step).Should().Equal(Enumerable.Range(0, 12).Select(i => (long)i));
        steps.Should().OnlyContain(s => float.IsFinite(s.DiscriminatorLoss) && s.DiscriminatorLoss > 0 && float.IsFinite(s.GeneratorLoss) && s.BytesPerWorker > 0);
        events[^1].State.Should().Be(ExperimentState.Completed);

        // A second watcher joining late gets exactly the events after the sequence it names.
        var late = await ExperimentRunner.WatchAsync(Coordinator(id), Bound, afterSequence: 5);
        late.Select(e => e.Sequence).Should().Equal(events.Where(e => e.Sequence > 5).Select(e => e.Sequence));

        var status = await Coordinator(id).GetStatus();
        status.State.Should().Be(ExperimentState.Completed);
        status.CompletedSteps.Should().Be(12);
        status.Workers.Should().Equal(TrainingKeys.Worker(DeviceAddress.Parse("silo-1/cpu:0"), id, 0), TrainingKeys.Worker(DeviceAddress.Parse("silo-2/cpu:0"), id, 1));
    }

    [Fact]
    public async Task One_worker_on_the_cluster_trains_exactly_like_the_local_trainer()
    {
        var plan = TestPlans.Small(ModelFamily.Dcgan, 1, 2, Silos, steps: 8) with { Model = new ModelSpec { LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 } };
        var id = NewId("one-worker");
        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);
        events[^1].State.Should().Be(ExperimentState.Completed, events[^1].Message);

        var local = new LocalTrainingOptions
        {
            Steps = plan.Steps,
            BatchSize = plan.BatchPerWorker,
            Seed = plan.Seed,
            Threads = 1,
            Model = new DcganOptions { LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 },
            Adam = new AdamOptions { LearningRate = 2e-4, Beta1 = 0.5, Beta2 = 0.999 },
        };
        using var trainer = new LocalGanTrainer(local, new FashionMnist(FashionMnistSplit.Test));
        var history = trainer.Train();
        using var g = GenCluster.Torch.torch.cat(trainer.GeneratorModel.parameters().Select(p => p.flatten()).ToList());

        (await Coordinator(id).GetParameters(ModelRole.Generator)).Should().Equal(g.ToArray<float>());

        // BatchNorm running statistics are not parameters: they come from rank 0, taken as the run ended.
        var statistics = await Coordinator(id).GetRunningStatistics(ModelRole.Generator);
        statistics.Should().Equal(RunningStatistics.Gather(trainer.GeneratorModel));
        statistics.Should().Contain(v => v != 0f && v != 1f, "8 steps moved the running means and variances off their initial 0 and 1");
        (await Coordinator(id).GetRunningStatistics(ModelRole.Discriminator)).Should().Equal(RunningStatistics.Gather(trainer.DiscriminatorModel));
        events.Where(e => e.Step is not null).Select(e => e.Step!.DiscriminatorLoss).Should().Equal(history.Select(h => h.DiscriminatorLoss));
    }

    [Fact]
    public async Task An_invalid_plan_is_refused_with_the_path_of_every_bad_field_and_nothing_is_recorded()
    {
        var id = NewId("invalid");
        var plan = TestPlans.Small(ModelFamily.Dcgan, 2, 1, Silos) with { Steps = 0, Devices = ["silo-1/cpu:0"] };

        var submit = () => Coordinator(id).Submit(plan);

        var error = await submit.Should().ThrowAsync<ArgumentException>();
        error.Which.Message.Should().Contain("steps:").And.Contain("devices:");
        (await Coordinator(id).GetStatus()).State.Should().Be(ExperimentState.None);
    }

    [Fact]
    public async Task An_experiment_id_cannot_be_submitted_twice()
    {
        var id = NewId("twice");
        var plan = TestPlans.Small(ModelFamily.MlpGan, 1, 1, Silos, steps: 2);
        await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        var again = () => Coordinator(id).Submit(plan);

        (await again.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain(id).And.Contain("Completed");
    }

    [Fact]
    public async Task A_device_the_silo_does_not_offer_fails_the_experiment_naming_rank_silo_and_device()
    {
        var id = NewId("no-device");
        var plan = TestPlans.Small(ModelFamily.MlpGan, 2, 1, Silos) with { Devices = ["silo-1/cpu:0", "silo-2/cpu:7"] };

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        output.WriteLine(events[^1].Message);
        events[^1].State.Should().Be(ExperimentState.Failed);
        events[^1].Message.Should().Contain("rank 1").And.Contain("silo-2").And.Contain("cpu:7").And.Contain("cpu:0, cpu:1");
        (await Coordinator(id).GetStatus()).Reason.Should().Be(events[^1].Message);
    }

    [Fact]
    public async Task A_worker_pinned_to_a_silo_outside_the_cluster_fails_the_experiment_naming_that_silo()
    {
        var id = NewId("no-silo");
        var plan = TestPlans.Small(ModelFamily.MlpGan, 2, 1, Silos) with { Devices = ["silo-1/cpu:0", "silo-9/cpu:0"] };

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        output.WriteLine(events[^1].Message);
        events[^1].State.Should().Be(ExperimentState.Failed);
        events[^1].Message.Should().Contain("rank 1").And.Contain("silo-9");
    }

    [Fact]
    public async Task A_step_that_outlives_its_timeout_fails_the_experiment_instead_of_waiting()
    {
        var id = NewId("timeout");
        var plan = TestPlans.Small(ModelFamily.Dcgan, 2, 1, Silos, steps: 50) with { StepTimeout = TimeSpan.FromMilliseconds(1) };

        var events = await ExperimentRunner.RunAsync(cluster.Client, id, plan, Bound);

        output.WriteLine(events[^1].Message);
        events[^1].State.Should().Be(ExperimentState.Failed);
        events[^1].Message.Should().MatchRegex(@"^step \d+ failed: ranks? [0-9, ]+ did not finish step \d+ on (its|their) workers? within 0\.001 s");
    }

    [Fact]
    public async Task Cancelling_stops_the_experiment_after_the_step_in_progress()
    {
        var id = NewId("cancel");
        var plan = TestPlans.Small(ModelFamily.MlpGan, 2, 1, Silos, steps: 100_000);
        var coordinator = Coordinator(id);
        await coordinator.Submit(plan);
        using var timeout = new CancellationTokenSource(Bound);
        await foreach (var entry in coordinator.Watch(0, CancellationToken.None).WithCancellation(timeout.Token))
        {
            if (entry.Step?.Step == 3)
            {
                break;
            }
        }

        await coordinator.Cancel();
        var rest = await ExperimentRunner.WatchAsync(coordinator, Bound);

        rest[^1].State.Should().Be(ExperimentState.Cancelled);
        var status = await coordinator.GetStatus();
        status.State.Should().Be(ExperimentState.Cancelled);
        status.CompletedSteps.Should().BeInRange(4, 99_999);
        status.Reason.Should().Contain($"after {status.CompletedSteps} steps");
    }

    private static string NewId(string what) => $"{what}-{Guid.NewGuid():N}";
}
