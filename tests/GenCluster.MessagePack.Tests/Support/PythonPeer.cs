using System.Diagnostics;
using System.Text;

namespace GenCluster.MessagePack.Tests.Support;

/// <summary>Runs python/msgpack_peer.py with Debian's interpreter (/usr/bin/python3), bounded in time.</summary>
internal static class PythonPeer
{
    public const string Interpreter = "/usr/bin/python3";

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "python", "msgpack_peer.py");

    /// <summary>Runs the peer; returns stdout. Throws with stdout/stderr if it fails or exceeds the timeout (the process is killed).</summary>
    public static string Run(TimeSpan timeout, params string[] arguments)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing: run infra/setup (python3-msgpack, python3-numpy)");
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-B");
        start.ArgumentList.Add(ScriptPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONHASHSEED"] = "0";

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"python peer '{string.Join(' ', arguments)}' exceeded {timeout.TotalSeconds} s and was killed");
        }

        process.WaitForExit(); // drain the asynchronous readers
        string output;
        lock (stdout)
        {
            output = stdout.ToString();
        }

        if (process.ExitCode != 0)
        {
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }

            throw new InvalidOperationException($"python peer '{string.Join(' ', arguments)}' exited with {process.ExitCode}:\n{output}\n{errors}");
        }

        return output;
    }
}
