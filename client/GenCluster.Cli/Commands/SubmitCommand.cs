using System.CommandLine;
using GenCluster.Cli.Cluster;
using GenCluster.Cli.Reporting;
using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Training;
using Spectre.Console;

namespace GenCluster.Cli.Commands;

/// <summary>
/// <c>gencluster submit spec.yaml --gateway host:port --secret S</c>: validates an experiment spec, maps it to a
/// training plan, submits it to the cluster and streams its progress until it ends. Exit codes: 0 completed, 1 failed
/// (the coordinator's reason is printed), 2 bad spec or arguments, 3 cluster unreachable or refused the submission,
/// 130 cancelled.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var connection = new ClusterConnectionOptions();
        var specFile = new Argument<FileInfo>("spec") { Description = "The experiment spec (.yaml, .yml or .json; docs/EXPERIMENT-SPEC.md)." };
        var id = new Option<string?>("--id") { Description = "Experiment id (default: the spec's name); an id can be submitted once." };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "When it completes, write generator.safetensors and samples.png here." };
        var logEvery = new Option<int>("--log-every") { Description = "Print progress every N steps.", DefaultValueFactory = _ => 10 };
        var command = new Command("submit", "Submit an experiment spec to a cluster and follow it; Ctrl-C cancels the experiment.") { specFile, id, output, logEvery };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            connection, parse, parse.GetValue(specFile)!, parse.GetValue(id), parse.GetValue(output), Math.Max(1, parse.GetValue(logEvery)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        ClusterConnectionOptions connection, ParseResult parse, FileInfo specFile, string? id, DirectoryInfo? output, int logEvery, CancellationToken interrupt)
    {
        // The spec is checked before any connection, so a bad spec never needs a cluster.
        ExperimentSpec spec;
        try
        {
            spec = ExperimentSpecLoader.LoadFile(specFile.FullName);
        }
        catch (Exception e) when (e is ExperimentSpecException or IOException or UnauthorizedAccessException)
        {
            return ReportSpecProblem(specFile, e);
        }

        var experimentId = id ?? spec.Name;
        if (!TrainingKeys.IsValidExperimentId(experimentId))
        {
            CliConsole.Error($"--id '{experimentId}' must be 1 to {TrainingKeys.MaxExperimentIdLength} letters, digits, '.', '_' or '-'");
            return 2;
        }

        // Listed devices need no cluster to map; auto placement asks the cluster which devices its silos advertise.
        TrainingPlan? plan = null;
        if (spec.Devices is not null && !TryMap(specFile, advertised: null, ref plan, out var refused))
        {
            return refused;
        }

        await using var client = await CliConsole.ConnectAsync(connection, parse, interrupt);
        if (client is null)
        {
            return 3;
        }

        if (plan is null)
        {
            string[] advertised;
            try
            {
                advertised = await client.GetGrain<IClusterDevicesGrain>(TrainingKeys.ClusterDevices).GetDevices();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CliConsole.Error($"cannot ask the cluster for its devices (devices: auto): {e.Message}");
                return 3;
            }

            if (!TryMap(specFile, advertised, ref plan, out var refusedAuto))
            {
                return refusedAuto;
            }
        }

        var coordinator = client.GetGrain<IExperimentCoordinatorGrain>(experimentId);
        var planned = plan ?? throw new InvalidOperationException("the spec was mapped above, or the command returned");
        return await SubmitAndFollowAsync(coordinator, experimentId, planned, output, logEvery, interrupt);
    }

    private static async Task<int> SubmitAndFollowAsync(
        IExperimentCoordinatorGrain coordinator, string experimentId, TrainingPlan plan, DirectoryInfo? output, int logEvery, CancellationToken interrupt)
    {
        ExperimentStatus submitted;
        try
        {
            submitted = await coordinator.Submit(plan);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CliConsole.Error($"the cluster refused experiment '{experimentId}': {e.Message}");
            return 3;
        }

        Console.WriteLine($"submitted {experimentId}: {plan.Model.Family.ToName()}, {plan.WorldSize} workers × batch {plan.BatchPerWorker} on {string.Join(", ", plan.Devices)}; "
            + $"{plan.GeneratorShards}+{plan.DiscriminatorShards} shards; {plan.Steps} steps; coordinator on {submitted.CoordinatorSilo}");
        var follower = new ExperimentFollower(coordinator, plan.BatchPerWorker * plan.WorldSize, logEvery, Console.Out);
        var final = await follower.FollowAsync(cancelOnInterrupt: true, interrupt) ?? await coordinator.GetStatus();
        return await FinishAsync(coordinator, final, plan, output);
    }

    private static async Task<int> FinishAsync(IExperimentCoordinatorGrain coordinator, ExperimentStatus final, TrainingPlan plan, DirectoryInfo? output)
    {
        switch (final.State)
        {
            case ExperimentState.Completed:
                Console.WriteLine($"completed {final.ExperimentId}: {final.CompletedSteps} of {final.TotalSteps} steps");
                if (output is not null)
                {
                    var parameters = await coordinator.GetParameters(ModelRole.Generator);
                    float[]? statistics = null;
                    try
                    {
                        statistics = await coordinator.GetRunningStatistics(ModelRole.Generator);
                    }
                    catch (InvalidOperationException e)
                    {
                        CliConsole.Error($"warning: {e.Message}; samples.png is drawn with the samples' own batch statistics instead");
                    }

                    var (weights, samples) = GeneratorExport.Write(output.FullName, plan, parameters, statistics, final.CompletedSteps);
                    Console.WriteLine($"wrote {weights} and {samples}");
                }

                return 0;
            case ExperimentState.Cancelled:
                CliConsole.Error($"{final.ExperimentId} was cancelled after {final.CompletedSteps} steps: {final.Reason}");
                return 130;
            default:
                CliConsole.Error($"{final.ExperimentId} {final.State} after {final.CompletedSteps} steps: {final.Reason}");
                return 1;
        }
    }

    private static bool TryMap(FileInfo specFile, IReadOnlyList<string>? advertised, ref TrainingPlan? plan, out int exitCode)
    {
        try
        {
            (_, plan) = TrainingPlanMapper.LoadFile(specFile.FullName, advertised);
            exitCode = 0;
            return true;
        }
        catch (Exception e) when (e is ExperimentSpecException or IOException or UnauthorizedAccessException)
        {
            exitCode = ReportSpecProblem(specFile, e);
            return false;
        }
    }

    private static int ReportSpecProblem(FileInfo specFile, Exception e)
    {
        if (e is ExperimentSpecException spec)
        {
            CliConsole.Error($"{specFile.Name}: {spec.Errors.Count} problem(s)");
            foreach (var error in spec.Errors)
            {
                var where = error.Line > 0 ? $"{specFile.Name}:{error.Line}:{error.Column}: " : $"{specFile.Name}: ";
                Console.Error.WriteLine($"  {where}{(error.Path.Length == 0 ? "(document)" : error.Path)}: {error.Message}");
            }
        }
        else
        {
            CliConsole.Error($"cannot read {specFile.FullName}: {e.Message}");
        }

        return 2;
    }
}
