using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// The raw-socket peer the runtime benchmarks compare against, run as a separate process (the
/// benchmark executable's hidden <see cref="Subcommand"/>). It listens on 127.0.0.1, prints its port,
/// and serves each connection in the mode its first 5 bytes name: <c>'E'</c> + u32 size echoes
/// every message of that size back; <c>'S'</c> + u32 size reads messages of that size and
/// acknowledges each with one byte (a request carrying a payload and a tiny reply, as a grain call);
/// <c>'X'</c> + u32 size exchanges: after each one-byte go from the client it sends a message of that size while it
/// receives one (both directions at once, as two ranks of a ring do).
/// It exits when its standard input closes, so it never outlives the benchmark.
/// </summary>
internal static class TcpPeerServer
{
    public const string Subcommand = "tcp-peer-server";

    public static async Task<int> RunAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        Console.WriteLine($"port {((IPEndPoint)listener.LocalEndPoint!).Port}");
        Console.Out.Flush();

        using var stop = new CancellationTokenSource();
        _ = Task.Run(() =>
        {
            // Why: the parent owns our lifetime; when it closes our stdin (or dies) we stop.
            while (Console.In.ReadLine() is not null)
            {
            }

            stop.Cancel();
        });

        try
        {
            while (true)
            {
                var connection = await listener.AcceptAsync(stop.Token);
                _ = Task.Run(() => ServeAsync(connection, stop.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
    {
        using var disposeConnection = connection;
        connection.NoDelay = true;
        try
        {
            var header = new byte[5];
            await ReceiveExactlyAsync(connection, header, cancellationToken);
            var mode = (char)header[0];
            var size = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
            var buffer = new byte[size];
            var ack = new byte[] { 1 };
            if (mode == 'X')
            {
                await ExchangeAsync(connection, size, cancellationToken);
                return;
            }

            while (await ReceiveExactlyAsync(connection, buffer, cancellationToken))
            {
                await connection.SendAsync(mode == 'E' ? buffer : ack, SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static async Task ExchangeAsync(Socket connection, int size, CancellationToken cancellationToken)
    {
        var outgoing = new byte[size];
        Random.Shared.NextBytes(outgoing);
        var incoming = new byte[size];
        var go = new byte[1];
        while (await ReceiveExactlyAsync(connection, go, cancellationToken))
        {
            var send = connection.SendAsync(outgoing, SocketFlags.None, cancellationToken).AsTask();
            if (!await ReceiveExactlyAsync(connection, incoming, cancellationToken))
            {
                return;
            }

            await send;
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed before sending anything.</summary>
    internal static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[filled..], SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return filled == 0 ? false : throw new SocketException((int)SocketError.ConnectionReset);
            }

            filled += read;
        }

        return true;
    }
}
