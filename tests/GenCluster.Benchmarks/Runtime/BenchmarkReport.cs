using System.Globalization;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>What every runtime benchmark prints first (environment, command) and its statistics.</summary>
internal static class BenchmarkReport
{
    public static void PrintEnvironment(string title)
    {
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine(title);
        Console.WriteLine($"command: dotnet run --project tests/GenCluster.Benchmarks -c Release -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}");
        Console.WriteLine($"environment: {Environment.ProcessorCount} cores, thread pool min workers {minWorkers}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, server GC {System.Runtime.GCSettings.IsServerGC}, load average (/proc/loadavg) {load}");
    }

    /// <summary>How the benchmark's silos exchange large frames (<c>--socket-only 1</c> turns shared memory off).</summary>
    public static void PrintTransport(BenchmarkArguments args) =>
        Console.WriteLine(args.SharedMemory
            ? "transport: silos on this host move frames of 64 KiB or more through shared memory (Transport:SharedMemory=true, the default)"
            : "transport: silos send every frame over loopback TCP (--socket-only 1: Transport:SharedMemory=false)");

    public static void PrintLoad(string when)
    {
        if (File.Exists("/proc/loadavg"))
        {
            Console.WriteLine($"load average {when}: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(fraction * sorted.Length))];
    }

    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
