using System.Globalization;

namespace GenCluster.Benchmarks;

/// <summary>
/// Common benchmark options: <c>--steps</c>, <c>--warmup</c>, <c>--threads</c>, <c>--batch</c>, <c>--rounds</c>,
/// and for the runtime benchmarks <c>--outstanding</c>, <c>--drivers</c>, <c>--seconds</c>, <c>--mib</c>, <c>--payload</c>, <c>--shards</c>,
/// <c>--bucket</c>, <c>--inflight</c>, <c>--socket-only 1</c> (silos on this host send large frames over their sockets instead
/// of shared memory, <c>Transport:SharedMemory=false</c>); the lists <c>--sizes</c> and <c>--worlds</c> take comma-separated positive integers (<c>--sizes 1,16,64</c>).
/// Each benchmark documents which it reads; absent ones fall back to that benchmark's own default.
/// </summary>
internal sealed record BenchmarkArguments(int Steps, int Warmup, int Threads, int Batch, int Rounds, IReadOnlyDictionary<string, int> Given)
{
    private static readonly string[] ListNames = ["--sizes", "--worlds"];

    private static readonly Dictionary<string, int> Defaults = new()
    {
        ["--steps"] = 30, ["--warmup"] = 5, ["--threads"] = 2, ["--batch"] = 64, ["--rounds"] = 3,
        ["--outstanding"] = 1024, ["--drivers"] = 4, ["--seconds"] = 5, ["--mib"] = 64, ["--payload"] = 100, ["--shards"] = 2,
        ["--interval"] = 10, ["--seed"] = 1,
        ["--bucket"] = 1024 * 1024, ["--inflight"] = 1, ["--skip-azurite"] = 0, ["--socket-only"] = 0,
    };

    /// <summary>The integer lists given (<c>--sizes</c>, <c>--worlds</c>).</summary>
    public IReadOnlyDictionary<string, int[]> Lists { get; private init; } = new Dictionary<string, int[]>();

    public static BenchmarkArguments Parse(string[] args)
    {
        var values = new Dictionary<string, int>(Defaults);
        var given = new Dictionary<string, int>();
        var lists = new Dictionary<string, int[]>();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (ListNames.Contains(args[i]))
            {
                var items = i + 1 < args.Length ? args[i + 1].Split(',') : [];
                var parsed = items.Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0).ToArray();
                if (parsed.Length == 0 || parsed.Contains(0))
                {
                    throw new ArgumentException($"bad argument '{args[i]}'; expected comma-separated positive integers");
                }

                lists[args[i]] = parsed;
                continue;
            }

            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"bad argument '{args[i]}'; expected one of {string.Join(", ", values.Keys.Concat(ListNames))} followed by a positive integer");
            }

            values[args[i]] = value;
            given[args[i]] = value;
        }

        return new BenchmarkArguments(values["--steps"], values["--warmup"], values["--threads"], values["--batch"], values["--rounds"], given) { Lists = lists };
    }

    /// <summary>Whether the benchmark's silos move large frames through shared memory (the default) rather than sockets only.</summary>
    public bool SharedMemory => Get("--socket-only", 0) == 0;

    /// <summary>The list given for <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public int[] GetList(string name, int[] fallback) => Lists.TryGetValue(name, out var values) ? values : fallback;

    /// <summary>The value given for <paramref name="name"/>, else the benchmark's <paramref name="fallback"/>.</summary>
    public int Get(string name, int fallback) => Given.TryGetValue(name, out var value) ? value : fallback;
}
