using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// Runs one experiment (keyed by its id, see <see cref="TrainingKeys"/>): sets up W workers on their devices and the
/// parameter shards, drives the steps behind a barrier, and reports progress. Its state survives re-activation.
/// </summary>
public interface IExperimentCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Accepts <paramref name="plan"/> and starts training in the background.</summary>
    /// <exception cref="ArgumentException">The plan or the experiment id is invalid (every bad field is listed).</exception>
    /// <exception cref="InvalidOperationException">An experiment with this id was submitted before.</exception>
    Task<ExperimentStatus> Submit(TrainingPlan plan);

    /// <summary>The current status.</summary>
    Task<ExperimentStatus> GetStatus();

    /// <summary>Stops a running experiment after the step in progress; no effect on a finished one.</summary>
    Task<ExperimentStatus> Cancel();

    /// <summary>
    /// The experiment's events with sequence numbers above <paramref name="afterSequence"/>, then live ones as they
    /// happen; the stream ends after the terminal state's event.
    /// </summary>
    IAsyncEnumerable<ExperimentEvent> Watch(long afterSequence, CancellationToken cancellationToken);

    /// <summary>The current flat parameter vector of <paramref name="role"/>'s model, gathered from its shards.</summary>
    /// <exception cref="InvalidOperationException">The shards were never initialized.</exception>
    Task<float[]> GetParameters(ModelRole role);

    /// <summary>
    /// Rank 0's running statistics of <paramref name="role"/>'s model (BatchNorm running means and variances) as the
    /// run ended — what PyTorch DDP's default buffer broadcast would hold; empty for a model without BatchNorm.
    /// </summary>
    /// <exception cref="InvalidOperationException">The experiment has not ended, or ended before they could be taken.</exception>
    Task<float[]> GetRunningStatistics(ModelRole role);
}
