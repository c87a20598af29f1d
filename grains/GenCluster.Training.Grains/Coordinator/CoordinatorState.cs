using GenCluster.Contracts.Training;
using GenCluster.Runtime;

namespace GenCluster.Training.Grains.Coordinator;

/// <summary>What an experiment coordinator persists: enough to answer for the experiment after re-activation.</summary>
[GenerateSerializer]
internal sealed class CoordinatorState
{
    [Id(0)]
    public TrainingPlan? Plan { get; set; }

    [Id(1)]
    public ExperimentState State { get; set; }

    [Id(2)]
    public long CompletedSteps { get; set; }

    [Id(3)]
    public string? Reason { get; set; }

    [Id(4)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last event's sequence number, so a new activation continues the numbering.</summary>
    [Id(5)]
    public long LastSequence { get; set; }

    [Id(6)]
    public string[] Workers { get; set; } = [];

    /// <summary>Rank 0's generator running statistics (BatchNorm buffers) when the run ended; null before.</summary>
    [Id(7)]
    public float[]? GeneratorStatistics { get; set; }

    /// <summary>Rank 0's discriminator running statistics when the run ended; null before.</summary>
    [Id(8)]
    public float[]? DiscriminatorStatistics { get; set; }

    /// <summary>Where each rank runs now (<c>silo/device</c>); the plan's devices until a recovery re-forms the group.</summary>
    [Id(9)]
    public string[] Devices { get; set; } = [];

    /// <summary>How many times the experiment resumed from a checkpoint.</summary>
    [Id(10)]
    public int Recoveries { get; set; }

    /// <summary>The step of the newest checkpoint this experiment committed; null before the first.</summary>
    [Id(11)]
    public long? LastCheckpointStep { get; set; }
}
