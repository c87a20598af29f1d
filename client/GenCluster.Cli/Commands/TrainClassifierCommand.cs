using System.CommandLine;
using System.Globalization;
using GenCluster.Datasets;
using GenCluster.Training.Quality;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace GenCluster.Cli.Commands;

/// <summary>
/// <c>gencluster train-classifier</c>: trains the Fashion-MNIST classifier whose features the quality metric
/// (Fréchet distance) uses, and writes its weights as safetensors with the recipe and test accuracy as metadata.
/// </summary>
internal static class TrainClassifierCommand
{
    public static Command Create()
    {
        var defaults = new ClassifierTrainingOptions();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights, data order and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => defaults.Threads };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the weights.", DefaultValueFactory = _ => new FileInfo("fashion-mnist-classifier.safetensors") };
        var data = new Option<DirectoryInfo?>("--data") { Description = $"Fashion-MNIST directory (default: ${FashionMnist.DirectoryEnvironmentVariable} or {FashionMnist.DefaultDirectory})." };

        var command = new Command("train-classifier", "Train the Fashion-MNIST classifier used by the quality metric and write its weights.")
        {
            epochs, batch, seed, threads, output, data,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ClassifierTrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            };
            return Task.FromResult(Run(options, parse.GetValue(output)!, parse.GetValue(data), cancellationToken));
        });
        return command;
    }

    private static int Run(ClassifierTrainingOptions options, FileInfo output, DirectoryInfo? dataDirectory, CancellationToken cancellationToken)
    {
        ClassifierTrainer trainer;
        try
        {
            trainer = new ClassifierTrainer(Options.Create(options), NullLogger<ClassifierTrainer>.Instance, TimeProvider.System);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }

        FashionMnist train, test;
        try
        {
            train = new FashionMnist(FashionMnistSplit.Train, dataDirectory?.FullName);
            test = new FashionMnist(FashionMnistSplit.Test, dataDirectory?.FullName);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 3;
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Training the Fashion-MNIST classifier: {options.Epochs} epochs, batch {options.BatchSize}, seed {options.Seed}, {options.Threads} threads → {output.FullName}");
        try
        {
            var (classifier, history) = trainer.Train(train, test, new EpochPrinter(), cancellationToken);
            using (classifier)
            {
                output.Directory?.Create();
                classifier.Save(output.FullName, trainer.DescribeRun(history));
            }

            AnsiConsole.MarkupLineInterpolated(
                $"Done: test accuracy {history[^1].TestAccuracy.ToString("P2", CultureInfo.InvariantCulture)} in {history[^1].Elapsed.TotalSeconds:F0} s; wrote {output.FullName} ({new FileInfo(output.FullName).Length:N0} bytes)");
            return 0;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]; nothing written");
            return 130;
        }
    }

    /// <summary>Prints one line per epoch as it finishes (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class EpochPrinter : IProgress<ClassifierEpoch>
    {
        public void Report(ClassifierEpoch value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[epoch {value.Epoch}] lr {value.LearningRate:G3}  train loss {value.TrainLoss:F4}  test accuracy {value.TestAccuracy:P2}  {value.Elapsed.TotalSeconds:F0} s"));
    }
}
