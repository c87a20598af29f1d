using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GenCluster.Testing.Azurite;

/// <summary>
/// One Azurite blob service (the Azure Storage emulator, installed by <c>infra/setup/npm-packages.sh</c> into
/// <c>.tools/azurite</c>) listening on a port of 127.0.0.1 that the OS picks, keeping everything in memory.
/// Disposing it kills the process by its PID.
/// </summary>
public sealed partial class AzuriteProcess : IDisposable
{
    /// <summary>Azurite's well-known development account (public, documented; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's well-known key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TemporaryDirectory _workspace;

    private AzuriteProcess(Process process, TemporaryDirectory workspace, int port)
    {
        _process = process;
        _workspace = workspace;
        Port = port;
    }

    /// <summary>The blob service's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The process id, for logs.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The account's blob endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>A connection string for the development account on this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>The Azurite blob service script under the repository root.</summary>
    public static string ScriptPath => Path.Combine(RepositoryRoot.Path, ".tools", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");

    /// <summary>Starts Azurite and waits until it answers HTTP.</summary>
    /// <param name="extentMemoryLimitMegabytes">Cap on the bytes Azurite keeps in memory; writes beyond it fail.</param>
    /// <exception cref="FileNotFoundException">Azurite is not installed (run <c>infra/setup/setup.sh</c>).</exception>
    /// <exception cref="TimeoutException">It did not start answering within a minute; it was killed.</exception>
    public static async Task<AzuriteProcess> StartAsync(int extentMemoryLimitMegabytes = 3072)
    {
        var script = ScriptPath;
        if (!File.Exists(script))
        {
            throw new FileNotFoundException("Azurite is not installed: run infra/setup/setup.sh (infra/setup/npm-packages.sh)", script);
        }

        // Azurite refuses --location together with --inMemoryPersistence; the working directory takes whatever it
        // might still write (its debug log is off) and is deleted with the process.
        var workspace = new TemporaryDirectory("azurite");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.Path,
        };
        foreach (var argument in new[]
                 {
                     script, "--blobHost", "127.0.0.1", "--blobPort", "0",
                     "--inMemoryPersistence", "--extentMemoryLimit", extentMemoryLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        }
        catch
        {
            workspace.Dispose();
            throw;
        }

        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            // Port 0: Azurite reports the port the OS gave it, so no other process can take it in between.
            var port = await ReadPortAsync(process, StartLimit);
            var azurite = new AzuriteProcess(process, workspace, port);
            _ = DrainAsync(process.StandardOutput);
            await azurite.WaitUntilAnsweringAsync(StartLimit);
            return azurite;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Kill(process);
            workspace.Dispose();
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }

            throw new TimeoutException($"Azurite did not start: {e.Message} {errors}".Trim(), e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
        _workspace.Dispose();
    }

    private static async Task<int> ReadPortAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var match = ListeningLine().Match(line);
                if (match.Success)
                {
                    return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Azurite (pid {process.Id}) did not report its port within {limit.TotalSeconds:0} s");
        }

        throw new InvalidOperationException($"Azurite (pid {process.Id}) exited before listening");
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Any HTTP answer (an unauthenticated listing is refused with 403) means the service is up.
                using var response = await http.GetAsync(new Uri(BlobEndpoint, $"/{AccountName}?comp=list"));
                return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < limit && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (TaskCanceledException) when (deadline.Elapsed < limit && !_process.HasExited)
            {
                // One request timed out under load; ask again.
            }
        }
    }

    private static async Task DrainAsync(StreamReader output)
    {
        try
        {
            while (await output.ReadLineAsync() is not null)
            {
                // Keep the pipe empty so Azurite never blocks on a full stdout.
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"successfully listens on https?://[^:/\s]+:(\d+)")]
    private static partial Regex ListeningLine();
}
