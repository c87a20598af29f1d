namespace GenCluster.Testing.Processes;

/// <summary>
/// Starts contenders in several processes at (nearly) the same moment: each announces itself with a
/// <c>GATE.ready.*</c> file and waits until the test creates the file <c>GATE</c>. Polling, bounded in time.
/// </summary>
public static class StartGate
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>Announces this process and waits for the gate to open; false when it did not within <paramref name="limit"/>.</summary>
    public static async Task<bool> PassAsync(string gate, TimeSpan limit)
    {
        await File.WriteAllTextAsync($"{gate}.ready.{Environment.ProcessId}", string.Empty);
        return await WaitUntilAsync(() => File.Exists(gate), limit);
    }

    /// <summary>Waits until <paramref name="contenders"/> processes have announced themselves, then opens the gate.</summary>
    /// <exception cref="TimeoutException">They did not all announce themselves within <paramref name="limit"/>.</exception>
    public static async Task OpenWhenReadyAsync(string gate, int contenders, TimeSpan limit)
    {
        var directory = Path.GetDirectoryName(gate)!;
        var pattern = Path.GetFileName(gate) + ".ready.*";
        if (!await WaitUntilAsync(() => Directory.GetFiles(directory, pattern).Length >= contenders, limit))
        {
            throw new TimeoutException($"{contenders} child processes did not get ready within {limit.TotalSeconds:0} s");
        }

        await File.WriteAllTextAsync(gate, string.Empty);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }

        return true;
    }
}
