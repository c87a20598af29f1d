using System.CommandLine;
using System.Globalization;
using GenCluster.Cli.Reporting;
using GenCluster.Datasets;
using GenCluster.Training.Gan;
using GenCluster.Training.Local;
using Spectre.Console;

namespace GenCluster.Cli.Commands;

/// <summary><c>gencluster train-local</c>: trains a DCGAN on Fashion-MNIST in this process.</summary>
internal static class TrainLocalCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Optimizer steps to run.", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights, data order and noise.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory for samples.png, losses.png/.svg, history.csv and generator.safetensors.", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var data = new Option<DirectoryInfo?>("--data") { Description = $"Fashion-MNIST directory (default: ${FashionMnist.DirectoryEnvironmentVariable} or {FashionMnist.DefaultDirectory})." };
        var logEvery = new Option<int>("--log-every") { Description = "Print losses every N steps.", DefaultValueFactory = _ => 100 };

        var command = new Command("train-local", "Train a DCGAN on Fashion-MNIST in this process and write a sample grid and loss curves.")
        {
            steps, batch, seed, threads, output, data, logEvery,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new LocalTrainingOptions
            {
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Model = new DcganOptions(),
            };
            return Task.FromResult(Run(options, parse.GetValue(output)!, parse.GetValue(data), Math.Max(1, parse.GetValue(logEvery)), cancellationToken));
        });
        return command;
    }

    private static int Run(LocalTrainingOptions options, DirectoryInfo output, DirectoryInfo? dataDirectory, int logEvery, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }

        FashionMnist dataset;
        try
        {
            dataset = new FashionMnist(FashionMnistSplit.Train, dataDirectory?.FullName);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 3;
        }

        output.Create();
        AnsiConsole.MarkupLineInterpolated(
            $"Training DCGAN on Fashion-MNIST ({dataset.Count:N0} images): {options.Steps:N0} steps, batch {options.BatchSize}, seed {options.Seed}, {options.Threads} threads → {output.FullName}");

        using var trainer = new LocalGanTrainer(options, dataset);
        var progress = new Progress(logEvery);
        try
        {
            trainer.Train(progress, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]; writing what was trained so far");
        }

        var history = progress.Seen;

        if (history.Count == 0)
        {
            return 130;
        }

        var samplesPath = Path.Combine(output.FullName, "samples.png");
        RunArtifacts.WriteSampleGrid(samplesPath, trainer.Sample(64, options.Seed), 64, FashionMnist.ImageHeight);
        RunArtifacts.WriteLossPlots(Path.Combine(output.FullName, "losses.png"), Path.Combine(output.FullName, "losses.svg"), history);
        RunArtifacts.WriteHistory(Path.Combine(output.FullName, "history.csv"), history);
        trainer.SaveGenerator(Path.Combine(output.FullName, "generator.safetensors"));

        var tail = history.Skip(Math.Max(0, history.Count - 100)).ToList();
        var last = history[^1];
        AnsiConsole.MarkupLineInterpolated(
            $"Done: {history.Count:N0} steps in {progress.Elapsed.TotalSeconds:F1} s ({history.Count / Math.Max(1e-9, progress.Elapsed.TotalSeconds):F1} steps/s). Final Loss_D {last.DiscriminatorLoss:F4}, Loss_G {last.GeneratorLoss:F4}; mean of last {tail.Count}: Loss_D {tail.Average(r => r.DiscriminatorLoss):F4}, Loss_G {tail.Average(r => r.GeneratorLoss):F4}");
        AnsiConsole.MarkupLineInterpolated($"Wrote {samplesPath}, losses.png, losses.svg, history.csv, generator.safetensors");
        return 0;
    }

    /// <summary>Prints a line every N steps, in the format of pytorch/examples' dcgan.</summary>
    private sealed class Progress(int every) : IProgress<TrainingProgress>
    {
        public List<StepRecord> Seen { get; } = [];

        public TimeSpan Elapsed { get; private set; }

        public void Report(TrainingProgress value)
        {
            Seen.Add(value.Record);
            Elapsed = value.Elapsed;
            var r = value.Record;
            var done = r.Step + 1;
            if (done % every == 0 || done == value.TotalSteps || done == 1)
            {
                var rate = done / Math.Max(1e-9, value.Elapsed.TotalSeconds);
                var eta = TimeSpan.FromSeconds((value.TotalSteps - done) / Math.Max(1e-9, rate));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{done,6}/{value.TotalSteps}] Loss_D: {r.DiscriminatorLoss:F4} Loss_G: {r.GeneratorLoss:F4} D(x): {r.RealScore:F4} D(G(z)): {r.FakeScoreBefore:F4} / {r.FakeScoreAfter:F4}  {rate:F1} steps/s  eta {eta:h\\:mm\\:ss}"));
            }
        }
    }
}
