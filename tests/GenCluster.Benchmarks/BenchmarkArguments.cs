using System.Globalization;

namespace GenCluster.Benchmarks;

/// <summary>Common benchmark options: <c>--steps</c>, <c>--warmup</c>, <c>--threads</c>, <c>--batch</c>, <c>--rounds</c>.</summary>
internal sealed record BenchmarkArguments(int Steps, int Warmup, int Threads, int Batch, int Rounds)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        var values = new Dictionary<string, int> { ["--steps"] = 30, ["--warmup"] = 5, ["--threads"] = 2, ["--batch"] = 64, ["--rounds"] = 3 };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"bad argument '{args[i]}'; expected one of {string.Join(", ", values.Keys)} followed by a positive integer");
            }

            values[args[i]] = value;
        }

        return new BenchmarkArguments(values["--steps"], values["--warmup"], values["--threads"], values["--batch"], values["--rounds"]);
    }
}
