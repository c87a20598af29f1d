using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>Runs the <c>gencluster</c> command line to its end (killed by PID if it outlives the timeout).</summary>
internal static class CliProcess
{
    private static string CliAssembly => typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliAssembly").Value!;

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliAssembly);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["NO_COLOR"] = "1";
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"gencluster {string.Join(' ', arguments)} did not end within {timeout.TotalSeconds:F0} s:\n{output}\n{error}");
        }

        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return (process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }
}
