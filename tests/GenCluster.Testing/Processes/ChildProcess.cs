using System.Diagnostics;

namespace GenCluster.Testing.Processes;

/// <summary>
/// Runs a test assembly as a child process (its own <c>Program.Main</c>: such a test project sets
/// <c>GenerateProgramFile</c> to false), so a test can contend for a shared resource from another OS process.
/// Each child is bounded in time and killed by its PID (the whole tree) if it overruns or is disposed early.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ChildProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts the assembly <paramref name="entry"/> (e.g. <c>typeof(Program).Assembly</c>) with <paramref name="arguments"/>.</summary>
    public static ChildProcess Start(System.Reflection.Assembly entry, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(entry.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the child process"));
    }

    /// <summary>Waits for the child to exit and returns its standard output.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/>; it was killed.</exception>
    /// <exception cref="InvalidOperationException">It exited non-zero.</exception>
    public async Task<string> WaitForOutputAsync(TimeSpan timeout)
    {
        using var overrun = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(overrun.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"child process {_process.Id} ran longer than {timeout.TotalSeconds:0} s and was killed");
        }

        var stdout = await _stdout;
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"child process exited with {_process.ExitCode}: {await _stderr}");
        }

        return stdout.Trim();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>The <c>dotnet</c> host that runs this test process, so the child uses the same runtime.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromCli) && File.Exists(fromCli) ? fromCli : "dotnet";
    }
}
