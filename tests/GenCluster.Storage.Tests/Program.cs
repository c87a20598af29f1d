using System.Globalization;
using GenCluster.Storage.FileSystem;
using GenCluster.Storage.Tests.FileSystem;
using GenCluster.Storage.Tests.Support;
using GenCluster.Testing.Processes;

namespace GenCluster.Storage.Tests;

/// <summary>
/// The test assembly's entry point, used only when a cross-process test starts this assembly as a child process
/// (<c>dotnet GenCluster.Storage.Tests.dll ...</c>) to race writers of a <see cref="FileSystemObjectStore"/> from
/// another OS process. The test runner does not call it.
/// </summary>
public static class Program
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>GATE ROOT NAME create SEED</c>: writes <see cref="ProcessRaceTests.ObjectBytes"/> generated from SEED as NAME
    /// if none exists; prints "won" or "lost". <c>GATE ROOT NAME increment N</c>: N compare-and-swap increments of the
    /// counter NAME (<see cref="CounterContender"/>); prints the races lost. Both first wait for the file GATE (see
    /// <see cref="StartGate"/>), so that the test can start all contenders at once.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is not [var gate, var root, var name, var mode, var number] || mode is not ("create" or "increment"))
        {
            await Console.Error.WriteLineAsync("usage: GATE ROOT NAME create SEED | GATE ROOT NAME increment N");
            return 2;
        }

        var store = new FileSystemObjectStore(root);
        if (!await StartGate.PassAsync(gate, Limit))
        {
            await Console.Error.WriteLineAsync("the start gate never opened");
            return 3;
        }

        if (mode == "increment")
        {
            Console.WriteLine(await CounterContender.IncrementAsync(store, name, int.Parse(number, CultureInfo.InvariantCulture), Limit));
            return 0;
        }

        try
        {
            var content = new GeneratedStream(ProcessRaceTests.ObjectBytes, ulong.Parse(number, CultureInfo.InvariantCulture));
            await store.PutAsync(name, content, WriteCondition.IfNoneExists, CancellationToken.None);
            Console.WriteLine("won");
        }
        catch (ObjectConditionFailedException)
        {
            Console.WriteLine("lost");
        }

        return 0;
    }
}
