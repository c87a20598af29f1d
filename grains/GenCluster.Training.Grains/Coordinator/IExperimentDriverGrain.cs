using GenCluster.Runtime;

namespace GenCluster.Training.Grains.Coordinator;

/// <summary>
/// The coordinator's message to itself that runs the experiment: a one-way request, so the training loop is a turn
/// of the activation (keeping it alive, cancelled if its silo stops) without a caller waiting on a response timeout.
/// </summary>
internal interface IExperimentDriverGrain : IGrainWithStringKey
{
    /// <summary>Sets up workers and shards and runs every step; returns when the experiment ends.</summary>
    [OneWay]
    Task Drive(CancellationToken cancellationToken);
}
