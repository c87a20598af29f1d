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
}
