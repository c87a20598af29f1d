using System.Globalization;

namespace GenCluster.Benchmarks.Quality;

/// <summary>
/// Options of the quality benchmarks: <c>--generator FILE</c>, <c>--classifier FILE</c>, <c>--output DIR</c>,
/// <c>--steps N</c>, <c>--batch N</c>, <c>--samples N</c>, <c>--seed N</c>, <c>--threads N</c> and the flag <c>--local</c>.
/// </summary>
internal sealed record FidArguments
{
    public string? Generator { get; init; }

    public string? Classifier { get; init; }

    public string? Output { get; init; }

    public int Steps { get; init; } = 2000;

    public int Batch { get; init; } = 64;

    public int Samples { get; init; } = 10_000;

    public int Seed { get; init; } = 1;

    public int Threads { get; init; } = 2;

    public bool Local { get; init; }

    /// <exception cref="ArgumentException">An unknown option, a missing value or a value that is not a positive integer.</exception>
    public static FidArguments Parse(string[] args)
    {
        var result = new FidArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--local")
            {
                result = result with { Local = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            result = name switch
            {
                "--generator" => result with { Generator = value },
                "--classifier" => result with { Classifier = value },
                "--output" => result with { Output = value },
                "--steps" => result with { Steps = Positive(name, value) },
                "--batch" => result with { Batch = Positive(name, value) },
                "--samples" => result with { Samples = Positive(name, value) },
                "--seed" => result with { Seed = Positive(name, value) },
                "--threads" => result with { Threads = Positive(name, value) },
                _ => throw new ArgumentException($"unknown option '{name}'; expected --generator, --classifier, --output, --steps, --batch, --samples, --seed, --threads or --local"),
            };
        }

        return result;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, got '{value}'");
}
