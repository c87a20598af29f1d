using System.CommandLine;
using GenCluster.Runtime.Client;
using Spectre.Console;

namespace GenCluster.Cli.Cluster;

/// <summary>Error lines and the connect step shared by the cluster commands.</summary>
internal static class CliConsole
{
    /// <summary>Writes <c>error: message</c> to standard error, in red on a terminal, never wrapped (reasons are grepped).</summary>
    public static void Error(string message)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"error: {message}");
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
    }

    /// <summary>A connected client, or null after printing why there is none.</summary>
    public static async Task<ClusterClient?> ConnectAsync(ClusterConnectionOptions connection, ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ConnectAsync(parse, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error($"cannot connect to the cluster at {parse.GetValue(connection.Gateway)}: {e.Message}");
            return null;
        }
    }
}
