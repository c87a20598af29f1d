using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GenCluster.Benchmarks.Runtime;

/// <summary>
/// A <see cref="TcpPeerServer"/> running as a second process, and the client side of the raw-socket
/// peers: ping-pong of fixed-size messages and one-way bulk transfers with a one-byte acknowledgement.
/// Stopped by closing its stdin, then by PID if it does not exit in time.
/// </summary>
internal sealed class TcpPeerProcess : IDisposable
{
    private readonly Process _process;

    private TcpPeerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public static TcpPeerProcess Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(TcpPeerProcess).Assembly.Location);
        start.ArgumentList.Add(TcpPeerServer.Subcommand);
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        ChildProcesses.Track(process.Id);
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        if (line is null || !line.StartsWith("port ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the TCP peer did not report its port: '{line}'");
        }

        return new TcpPeerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
    }

    /// <summary>Opens a connection in <paramref name="mode"/> ('E' echo, 'S' sink) for messages of <paramref name="size"/> bytes.</summary>
    public async Task<Socket> ConnectAsync(char mode, int size)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
        var header = new byte[5];
        header[0] = (byte)mode;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), size);
        await socket.SendAsync(header, SocketFlags.None);
        return socket;
    }

    /// <summary><paramref name="count"/> sequential ping-pongs of <paramref name="size"/> bytes; µs each.</summary>
    public async Task<double[]> PingPongAsync(int size, int count)
    {
        using var socket = await ConnectAsync('E', size);
        var request = new byte[size];
        Random.Shared.NextBytes(request);
        var reply = new byte[size];
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync(request, SocketFlags.None);
            if (!await TcpPeerServer.ReceiveExactlyAsync(socket, reply, CancellationToken.None))
            {
                throw new InvalidOperationException("the TCP peer closed the connection");
            }

            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return micros;
    }

    /// <summary><paramref name="count"/> sequential one-way transfers of <paramref name="size"/> bytes, each acknowledged; seconds each.</summary>
    public async Task<double[]> TransferAsync(int size, int count)
    {
        using var socket = await ConnectAsync('S', size);
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var ack = new byte[1];
        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync(payload, SocketFlags.None);
            if (!await TcpPeerServer.ReceiveExactlyAsync(socket, ack, CancellationToken.None))
            {
                throw new InvalidOperationException("the TCP peer closed the connection");
            }

            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return seconds;
    }

    /// <summary>
    /// <paramref name="count"/> sequential exchanges: this process and the peer each send <paramref name="size"/> bytes
    /// to the other at the same time (after a one-byte go); seconds each, until this side has sent and received all.
    /// </summary>
    public async Task<double[]> ExchangeAsync(int size, int count)
    {
        using var socket = await ConnectAsync('X', size);
        var outgoing = new byte[size];
        Random.Shared.NextBytes(outgoing);
        var incoming = new byte[size];
        var go = new byte[] { 1 };
        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync(go, SocketFlags.None);
            var send = socket.SendAsync(outgoing, SocketFlags.None);
            if (!await TcpPeerServer.ReceiveExactlyAsync(socket, incoming, CancellationToken.None))
            {
                throw new InvalidOperationException("the TCP peer closed the connection");
            }

            await send;
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return seconds;
    }

    public void Dispose()
    {
        var pid = _process.Id;
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        finally
        {
            ChildProcesses.Forget(pid);
            _process.Dispose();
        }
    }
}
