using System.Diagnostics;

namespace GenCluster.Datasets.Tests;

/// <summary>Runs a Python script in Debian's interpreter to compute reference values independently of the C# code.</summary>
internal static class PythonReference
{
    private const string Interpreter = "/usr/bin/python3";
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
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The Python reference script did not finish within {Timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        string output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        process.ExitCode.Should().Be(0, $"the Python reference script must succeed; stderr: {errors}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
