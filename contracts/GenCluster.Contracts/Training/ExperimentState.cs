using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>Where an experiment is in its life: Submitted → Running → Completed, Failed or Cancelled.</summary>
[GenerateSerializer]
public enum ExperimentState
{
    /// <summary>Nothing was submitted under this id.</summary>
    None = 0,

    /// <summary>Accepted and persisted; workers and shards are being set up.</summary>
    Submitted = 1,

    /// <summary>Steps are running.</summary>
    Running = 2,

    /// <summary>Every step ran.</summary>
    Completed = 3,

    /// <summary>Stopped by an error; <see cref="ExperimentStatus.Reason"/> says which rank, which silo and why.</summary>
    Failed = 4,

    /// <summary>Stopped at a client's request.</summary>
    Cancelled = 5,
}

/// <summary>Helpers on <see cref="ExperimentState"/>.</summary>
public static class ExperimentStates
{
    /// <summary>Whether the experiment can no longer change state.</summary>
    public static bool IsTerminal(this ExperimentState state) =>
        state is ExperimentState.Completed or ExperimentState.Failed or ExperimentState.Cancelled;
}
