using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GenCluster.Datasets;
using GenCluster.Testing;
using GenCluster.Training.Local;
using GenCluster.Training.Quality;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GenCluster.Torch.torch;

namespace GenCluster.Benchmarks.Quality;

/// <summary>
/// The quality benchmark of issue 4: the Fréchet distance (FID) of a generator's samples to the Fashion-MNIST
/// test set in the features of the shipped classifier.
/// <list type="bullet">
/// <item><c>fid-score --generator FILE</c> scores a saved DCGAN generator.</item>
/// <item><c>fid-reference --steps N --batch B</c> trains the single-process PyTorch reference
/// (tests/peers/dcgan_reference_train.py) and scores it; with <c>--local</c> it also trains ours in this
/// process (LocalGanTrainer, same recipe, steps and batch) and prints the ratio.</item>
/// </list>
/// </summary>
internal static class FidBenchmark
{
    public const string Score = "fid-score";
    public const string Reference = "fid-reference";

    public static bool Handles(string name) => name is Score or Reference;

    public static int Run(string name, string[] args)
    {
        FidArguments options;
        try
        {
            options = FidArguments.Parse(args);
            if (name == Score && string.IsNullOrEmpty(options.Generator))
            {
                throw new ArgumentException("fid-score needs --generator FILE");
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        set_num_threads(options.Threads);
        using var evaluator = new QualityEvaluator(
            Options.Create(new QualityEvaluatorOptions { ClassifierPath = options.Classifier, SampleCount = options.Samples, Seed = (ulong)options.Seed }),
            NullLogger<QualityEvaluator>.Instance,
            TimeProvider.System);
        Console.WriteLine($"environment: {Environment.ProcessorCount} cores, {options.Threads} libtorch threads, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}");
        var clock = Stopwatch.StartNew();
        var reference = evaluator.ReferenceStatistics;
        Console.WriteLine(Invariant($"test-set statistics: {reference.Count} images, {reference.Dimension} features, total variance {reference.TotalVariance:F3}, {clock.Elapsed.TotalSeconds:F1} s"));
        return name == Score ? ScoreFile(evaluator, options.Generator!) : RunReference(evaluator, options);
    }

    private static int ScoreFile(QualityEvaluator evaluator, string path)
    {
        using var generator = GeneratorFile.Load(path);
        Print(path, evaluator.Score(generator));
        return 0;
    }

    private static int RunReference(QualityEvaluator evaluator, FidArguments options)
    {
        using var temporary = options.Output is null ? new TemporaryDirectory("fid-reference") : null;
        var directory = options.Output ?? temporary!.Path;
        Directory.CreateDirectory(directory);
        var referencePath = Path.Combine(directory, "reference-generator.safetensors");
        var arguments = new[]
        {
            "--steps", Text(options.Steps), "--batch", Text(options.Batch), "--seed", Text(options.Seed),
            "--threads", Text(options.Threads), "--output", referencePath, "--data", FashionMnist.ResolveDirectory(),
        };
        Console.WriteLine($"PyTorch reference: /usr/bin/python3 tests/peers/dcgan_reference_train.py {string.Join(' ', arguments)}");
        var clock = Stopwatch.StartNew();
        var stdout = PythonPeer.Run(PythonPeer.Script("dcgan_reference_train.py"), arguments, TimeSpan.FromHours(6));
        using (var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]))
        {
            var root = json.RootElement;
            Console.WriteLine(Invariant(
                $"PyTorch reference trained: {options.Steps} steps × {options.Batch} = {root.GetProperty("images_seen").GetInt64()} images in {root.GetProperty("train_seconds").GetDouble():F1} s (torch {root.GetProperty("torch").GetString()}); mean of last 100 Loss_D {root.GetProperty("mean_last_loss_d").GetDouble():F4}, Loss_G {root.GetProperty("mean_last_loss_g").GetDouble():F4}"));
        }

        QualityScore referenceScore;
        using (var generator = GeneratorFile.Load(referencePath))
        {
            referenceScore = evaluator.Score(generator);
        }

        Print("PyTorch reference", referenceScore);
        if (!options.Local)
        {
            return 0;
        }

        var local = new LocalTrainingOptions { Steps = options.Steps, BatchSize = options.Batch, Seed = (ulong)options.Seed, Threads = options.Threads };
        using var trainer = new LocalGanTrainer(local, new FashionMnist(FashionMnistSplit.Train));
        clock.Restart();
        var history = trainer.Train();
        Console.WriteLine(Invariant(
            $"ours (LocalGanTrainer) trained: {options.Steps} steps × {options.Batch} in {clock.Elapsed.TotalSeconds:F1} s; mean of last 100 Loss_D {history.TakeLast(100).Average(r => r.DiscriminatorLoss):F4}, Loss_G {history.TakeLast(100).Average(r => r.GeneratorLoss):F4}"));
        trainer.SaveGenerator(Path.Combine(directory, "local-generator.safetensors"));
        var ours = evaluator.Score(trainer.GeneratorModel);
        Print("ours (single process)", ours);
        Console.WriteLine(Invariant($"ratio FID ours/PyTorch = {ours.Fid / referenceScore.Fid:F3} (issue 4 target for the distributed run: within ±10% of the reference)"));
        return 0;
    }

    private static void Print(string what, QualityScore score) => Console.WriteLine(Invariant(
        $"{what}: FID {score.Fid:F3} (mean term {score.Distance.MeanTerm:F3}, covariance term {score.Distance.CovarianceTerm:F3}) over {score.SampleCount} samples vs {score.ReferenceCount} test images; scored in {score.Elapsed.TotalSeconds:F1} s"));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
