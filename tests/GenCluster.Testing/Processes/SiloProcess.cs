using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace GenCluster.Testing.Processes;

/// <summary>
/// One silo as a separate OS process (the real <c>gencluster-silo</c> host), started on loopback and
/// stopped by its PID — gracefully, or with SIGKILL to simulate a crash.
/// </summary>
public sealed class SiloProcess : IDisposable
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

    /// <summary>The silo's name (<c>--name</c>).</summary>
    public string Name { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The process id, by which it is stopped.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once it has ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Where clients reach it, as a gateway list takes it: <c>127.0.0.1:port</c>.</summary>
    public string Gateway => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The silo's health endpoint, known once it is ready.</summary>
    public Uri? HealthUri { get; private set; }

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

    /// <summary>The silo host assembly, built with the tests (each test project references the silo project).</summary>
    public static string HostAssembly => typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SiloAssembly").Value!;

    /// <summary>Starts a silo on a free loopback port; <see cref="WaitReadyAsync"/> waits for it to report itself active.</summary>
    public static SiloProcess Start(string name, IEnumerable<string> arguments) => Start(name, LoopbackPorts.Free(), arguments);

    /// <summary>Starts a silo on <paramref name="port"/>; <see cref="WaitReadyAsync"/> waits for it to report itself active.</summary>
    public static SiloProcess Start(string name, int port, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HostAssembly);
        foreach (var a in new[] { "--name", name, "--port", port.ToString(CultureInfo.InvariantCulture) }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        // Several silos, some running libtorch, share two cores: OpenMP threads must sleep, not spin, when idle
        // (ENVIRONMENT.md), and the thread pool and GC stay modest.
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        return new SiloProcess(name, port, Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Waits for the silo's ready line and returns it; fails with its output if it exits or times out.</summary>
    public async Task<JsonElement> WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var winner = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (winner != _ready.Task)
        {
            throw new InvalidOperationException(winner == exited
                ? $"silo {Name} exited with {_process.ExitCode} before it was ready:\n{Output}"
                : $"silo {Name} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
        }

        HealthUri = new Uri(_ready.Task.Result.GetProperty("health").GetString()!);
        return _ready.Task.Result;
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

    /// <summary>How many silos this one sees active.</summary>
    public async Task<int> ActiveSilosAsync(HttpClient http) => (await GetHealthAsync(http)).GetProperty("activeSilos").GetInt32();

    /// <summary>
    /// Waits until each of <paramref name="silos"/> (started together, so they boot in parallel) is ready and sees
    /// <paramref name="activeCount"/> silos active — placement across silos, pinned placement by name and
    /// <c>devices: auto</c> all need every silo's view, not just one's. Fails with the lagging silo's output.
    /// </summary>
    public static async Task WaitUntilAllActiveAsync(IReadOnlyCollection<SiloProcess> silos, int? activeCount = null, TimeSpan? readyTimeout = null)
    {
        int count = activeCount ?? silos.Count;
        foreach (var silo in silos)
        {
            await silo.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(120));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var silo in silos)
        {
            while (await silo.ActiveSilosAsync(http) < count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"silo {silo.Name} did not see {count} active silos within 60 s:\n{silo.Output}");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>SIGKILL by PID: the process dies at once, without leaving the cluster.</summary>
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

    /// <summary>Kills the process if it still runs.</summary>
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
