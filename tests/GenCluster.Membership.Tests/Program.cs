using System.Globalization;
using GenCluster.Membership.Tests.Support;
using GenCluster.Testing.Processes;

namespace GenCluster.Membership.Tests;

/// <summary>
/// The test assembly's entry point, used only when a cross-process test starts this assembly as a child process
/// (<c>dotnet GenCluster.Membership.Tests.dll ...</c>) to contend for a <see cref="FileMembershipTable"/> from
/// another OS process. The test runner does not call it.
/// </summary>
public static class Program
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>GATE increment PATH COUNTER_PORT OWN_PORT INCREMENTS</c>: inserts its own row, then increments the counter row;
    /// prints "won lost". <c>GATE update PATH PORT ETAG VERSION NAME</c>: one compare-and-swap renaming the row; prints
    /// "won" or "lost". Either first waits for the file GATE to exist (see <see cref="StartGate"/>), so that the test
    /// can start all contenders at once.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case [var gate, "increment", var path, var counterPort, var ownPort, var increments]:
            {
                if (!await StartGate.PassAsync(gate, Limit))
                {
                    return GateNeverOpened();
                }

                var table = new FileMembershipTable(path);
                await TableContender.InsertOwnRowAsync(table, Parse(ownPort), Limit);
                var (won, lost) = await TableContender.IncrementAsync(table, Parse(counterPort), Parse(increments), Limit);
                Console.WriteLine($"{won} {lost}");
                return 0;
            }

            case [var gate, "update", var path, var port, var etag, var version, var name]:
            {
                if (!await StartGate.PassAsync(gate, Limit))
                {
                    return GateNeverOpened();
                }

                var table = new FileMembershipTable(path);
                var entry = Rows.Entry(Parse(port), name: name);
                var won = await table.UpdateRowAsync(entry, etag, long.Parse(version, CultureInfo.InvariantCulture), CancellationToken.None);
                Console.WriteLine(won ? "won" : "lost");
                return 0;
            }

            default:
                await Console.Error.WriteLineAsync("usage: GATE increment PATH COUNTER_PORT OWN_PORT INCREMENTS | GATE update PATH PORT ETAG VERSION NAME");
                return 2;
        }
    }

    private static int GateNeverOpened()
    {
        Console.Error.WriteLine("the start gate never opened");
        return 3;
    }

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
