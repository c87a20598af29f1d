using System.Diagnostics;

namespace GenCluster.Torch.Tests;

/// <summary>
/// Runs a script in Debian's Python (which has python3-torch and numpy) to check our results
/// against an independent implementation.
/// </summary>
internal static class PythonReference
{
    /// <summary>Debian's interpreter, explicitly: the first python3 on PATH may be another installation without torch.</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="script"/> (fed on standard input) and returns its non-empty output lines.</summary>
    public static string[] Run(string script, params string[] arguments)
    {
        File.Exists(Interpreter).Should().BeTrue($"{Interpreter} computes the reference values");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // One OpenMP thread and a passive wait policy: the machine has 2 shared cores.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"the Python reference script did not finish within {Timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        var output = stdout.GetAwaiter().GetResult();
        var errors = stderr.GetAwaiter().GetResult();
        process.ExitCode.Should().Be(0, $"the Python reference script must succeed; stderr: {errors}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
