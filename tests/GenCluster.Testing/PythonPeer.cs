using System.Diagnostics;

namespace GenCluster.Testing;

/// <summary>
/// Runs a Python peer with Debian's interpreter, which sees python3-torch, python3-numpy and
/// python3-msgpack (the first python3 on PATH may be another one that does not), bounded in time.
/// </summary>
public static class PythonPeer
{
    /// <summary>Debian's interpreter.</summary>
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>The folder holding the peer scripts copied next to the test assembly.</summary>
    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "peers");

    /// <summary>The path of a peer script by file name, e.g. <c>dcgan_peer.py</c>.</summary>
    public static string Script(string fileName) => Path.Combine(ScriptDirectory, fileName);

    /// <summary>Runs Python <paramref name="source"/> (fed on standard input) and returns its non-empty output lines, trimmed.</summary>
    /// <remarks>For small reference computations written inside a test; 60 s at most.</remarks>
    public static string[] RunInline(string source, params string[] arguments) =>
        Run("-", arguments, TimeSpan.FromSeconds(60), source)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    public static string Run(string script, TimeSpan timeout, params string[] arguments) => Run(script, arguments, timeout);

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/>; the process was killed.</exception>
    /// <exception cref="InvalidOperationException">It exited non-zero; the message carries its standard error.</exception>
    public static string Run(string script, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing: run infra/setup/setup.sh (python3-torch, python3-numpy, python3-msgpack)");
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-B");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{Path.GetFileName(script)} did not finish within {timeout.TotalSeconds:F0} s and was killed");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(script)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }
}
