using System.CommandLine;
using GenCluster.Cli.Cluster;
using GenCluster.Contracts.Training;

namespace GenCluster.Cli.Commands;

/// <summary>
/// <c>gencluster watch ID --gateway host:port --secret S</c>: re-attaches to an experiment and prints its events from
/// the start until it ends. Ctrl-C detaches and leaves the experiment running. Exit codes as <c>submit</c>'s.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var connection = new ClusterConnectionOptions();
        var id = new Argument<string>("id") { Description = "The experiment id." };
        var logEvery = new Option<int>("--log-every") { Description = "Print progress every N steps.", DefaultValueFactory = _ => 10 };
        var command = new Command("watch", "Follow a submitted experiment's progress; Ctrl-C detaches without cancelling it.") { id, logEvery };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var experimentId = parse.GetValue(id)!;
            if (!TrainingKeys.IsValidExperimentId(experimentId))
            {
                CliConsole.Error($"'{experimentId}' is not an experiment id (1 to {TrainingKeys.MaxExperimentIdLength} letters, digits, '.', '_' or '-')");
                return 2;
            }

            await using var client = await CliConsole.ConnectAsync(connection, parse, cancellationToken);
            if (client is null)
            {
                return 3;
            }

            var coordinator = client.GetGrain<IExperimentCoordinatorGrain>(experimentId);
            var status = await coordinator.GetStatus();
            if (status.State == ExperimentState.None)
            {
                CliConsole.Error($"no experiment '{experimentId}' was submitted to this cluster");
                return 2;
            }

            var follower = new ExperimentFollower(coordinator, imagesPerStep: 0, Math.Max(1, parse.GetValue(logEvery)), Console.Out);
            var final = await follower.FollowAsync(cancelOnInterrupt: false, cancellationToken);
            if (final is null)
            {
                Console.WriteLine($"detached from {experimentId}; it keeps running");
                return 0;
            }

            Console.WriteLine($"{experimentId}: {final.State} after {final.CompletedSteps} of {final.TotalSteps} steps{(final.Reason is null ? string.Empty : ": " + final.Reason)}");
            return final.State switch
            {
                ExperimentState.Completed => 0,
                ExperimentState.Cancelled => 130,
                _ => 1,
            };
        });
        return command;
    }
}
