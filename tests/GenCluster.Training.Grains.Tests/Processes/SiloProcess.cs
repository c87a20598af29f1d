using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>One real <c>gencluster-silo</c> process on loopback hosting the training grains, stopped by its PID.</summary>
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

    private static string HostAssembly => typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SiloAssembly").Value!;

    /// <summary>Starts a silo on a free loopback port.</summary>
    public static SiloProcess Start(string name, IEnumerable<string> arguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HostAssembly);
        foreach (var a in new[] { "--name", name, "--port", port.ToString(CultureInfo.InvariantCulture) }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        // Several libtorch processes share two cores: OpenMP threads must sleep, not spin, when idle (ENVIRONMENT.md).
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        return new SiloProcess(name, port, Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Waits for the ready line; fails with the silo's output if it exits first or takes too long.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
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
    }

    /// <summary>How many silos this one sees active.</summary>
    public async Task<int> ActiveSilosAsync(HttpClient http)
    {
        using var response = await http.GetAsync(HealthUri ?? throw new InvalidOperationException($"silo {Name} is not ready"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("activeSilos").GetInt32();
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

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
