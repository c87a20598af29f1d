using System.Diagnostics;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// The processes a benchmark started, by PID, killed if the benchmark is interrupted (Ctrl-C) or
/// exits without disposing them: a benchmark must never leave silos or peers running.
/// </summary>
internal static class ChildProcesses
{
    private static readonly HashSet<int> Pids = [];
    private static int _hooked;

    public static void Track(int pid)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            Console.CancelKeyPress += (_, _) => KillAll();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        lock (Pids)
        {
            Pids.Add(pid);
        }
    }

    public static void Forget(int pid)
    {
        lock (Pids)
        {
            Pids.Remove(pid);
        }
    }

    /// <summary>Kills every tracked process still running (also on Ctrl-C and on exit).</summary>
    public static void KillAll()
    {
        int[] pids;
        lock (Pids)
        {
            pids = [.. Pids];
            Pids.Clear();
        }

        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
