using GenCluster.Contracts.Training;
using GenCluster.Runtime;
using GenCluster.Training.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>
/// Runs on every silo with a checkpoint store: every <see cref="TrainingGrainOptions.ReactivationScanInterval"/> it
/// asks the coordinator of each experiment marked running for its status. Nothing happens while the coordinator
/// lives; when its silo died, the call activates it on a live silo, and the new activation resumes the experiment
/// from its persisted state and the newest valid checkpoint. Markers of experiments that ended are removed.
/// </summary>
internal sealed partial class ExperimentReactivationService(
    CheckpointStore checkpoints,
    IGrainFactory grains,
    IOptions<TrainingGrainOptions> options,
    TimeProvider time,
    ILogger<ExperimentReactivationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!checkpoints.IsConfigured)
        {
            return;
        }

        var interval = options.Value.ReactivationScanInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store or the cluster is unreachable for now; the next scan tries again.
                LogScanFailed(logger, e.Message);
            }
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        await foreach (var experiment in checkpoints.RunningAsync(cancellationToken))
        {
            if (!TrainingKeys.IsValidExperimentId(experiment))
            {
                continue;
            }

            try
            {
                var status = await grains.GetGrain<IExperimentCoordinatorGrain>(experiment).GetStatus()
                    .WaitAsync(options.Value.ProbeTimeout * 5, time, cancellationToken);
                if (status.State.IsTerminal() || status.State == ExperimentState.None)
                {
                    await checkpoints.ClearRunningAsync(experiment, cancellationToken);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Typically the coordinator's silo is dead but not yet declared so: a later scan re-activates it.
                LogUnreachable(logger, experiment, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scanning running experiments failed: {Error}")]
    private static partial void LogScanFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The coordinator of running experiment {Experiment} did not answer: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string experiment, string error);
}
