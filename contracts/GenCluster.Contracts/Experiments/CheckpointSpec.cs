using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>When to checkpoint and how many checkpoints to keep.</summary>
/// <param name="Interval">Steps between checkpoints; 0 turns checkpoints off.</param>
/// <param name="Keep">How many of the newest checkpoints to keep; older ones are deleted once a newer manifest is written.</param>
[GenerateSerializer]
public sealed record CheckpointSpec([Id(0)] long Interval, [Id(1)] int Keep)
{
    /// <summary>Every <see cref="ExperimentSpecDefaults.CheckpointInterval"/> steps, keeping <see cref="ExperimentSpecDefaults.CheckpointKeep"/>.</summary>
    public static CheckpointSpec Default { get; } = new(ExperimentSpecDefaults.CheckpointInterval, ExperimentSpecDefaults.CheckpointKeep);
}
