using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace GenCluster.Cluster.Tests;

/// <summary>
/// One silo as a separate OS process (the real <c>gencluster-silo</c> host), started on loopback and
/// stopped by its PID — gracefully, or with SIGKILL to simulate a crash.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<JsonElement> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the silo printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The silo host assembly built next to the tests.</summary>
    public static string HostAssembly => typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SiloAssembly").Value!;

    /// <summary>Starts a silo; <see cref="WaitReadyAsync"/> waits for it to report itself active.</summary>
    public static SiloProcess Start(string name, int port, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostAssembly);
        foreach (var a in new[] { "--name", name, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        // Several libtorch-free silos share 2 cores: keep the thread pool and GC modest.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        return new SiloProcess(name, port, Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>The silo's health endpoint, known once it is ready.</summary>
    public Uri? HealthUri { get; private set; }

    /// <summary>Waits for the silo's ready line; fails with its output if it exits or times out.</summary>
    public async Task<JsonElement> WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var winner = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (winner == _ready.Task)
        {
            HealthUri = new Uri(_ready.Task.Result.GetProperty("health").GetString()!);
            return _ready.Task.Result;
        }

        throw new InvalidOperationException(winner == exited
            ? $"silo {Name} exited with {_process.ExitCode} before it was ready:\n{Output}"
            : $"silo {Name} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
    }

    /// <summary>The silo's health report (GET /health), as JSON.</summary>
    public async Task<JsonElement> GetHealthAsync(HttpClient http)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(HealthUri ?? throw new InvalidOperationException($"silo {Name} is not ready"));
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"silo {Name} (pid {Pid}, exited: {HasExited}) does not answer {HealthUri}:\n{Output}", e);
        }

        using var disposeResponse = response;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    /// <summary>SIGKILL: the process dies at once, without leaving the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit on its own; once it has, <see cref="Output"/> is complete.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // Only the overload without a timeout also waits for the asynchronous output readers to reach the end.
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("{\"ready\":true", StringComparison.Ordinal))
        {
            using var json = JsonDocument.Parse(line);
            _ready.TrySetResult(json.RootElement.Clone());
        }
    }
}
