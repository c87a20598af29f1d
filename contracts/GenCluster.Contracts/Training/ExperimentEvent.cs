using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// One entry of an experiment's progress stream: a state change (with <see cref="Message"/>) or a completed
/// step (with <see cref="Step"/>). Sequence numbers start at 1 and have no gaps, so a watcher can resume.
/// </summary>
/// <param name="Sequence">Position in the experiment's event log, from 1.</param>
/// <param name="Timestamp">When the coordinator recorded it.</param>
/// <param name="State">The experiment's state after this event.</param>
/// <param name="Step">The step that completed; null for a state change.</param>
/// <param name="Message">What changed and why; null for a step.</param>
[GenerateSerializer]
public sealed record ExperimentEvent(
    [Id(0)] long Sequence,
    [Id(1)] DateTimeOffset Timestamp,
    [Id(2)] ExperimentState State,
    [Id(3)] StepProgress? Step,
    [Id(4)] string? Message);
