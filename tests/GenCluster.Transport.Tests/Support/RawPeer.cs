using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GenCluster.MessagePack;

namespace GenCluster.Transport.Tests;

/// <summary>
/// A bare TCP peer that writes whatever bytes a test wants (valid or not) and reads frames by hand, to probe the
/// server from outside the transport's own client. It can run a correct client handshake first.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawPeer(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public static async Task<RawPeer> ConnectAsync(EndPoint endPoint, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(timeout ?? Timeouts.Default);
            await socket.ConnectAsync(endPoint, deadline.Token);
            return new RawPeer(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an accepted socket (a fake server's side).</summary>
    public static RawPeer Attach(Socket socket) => new(socket);

    /// <summary>Encodes one message as a complete frame.</summary>
    public static byte[] Frame<T>(T message, FrameBodyWriter<T> write)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(output, message, write, int.MaxValue);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Wraps raw bytes in a frame header (no check that they are MessagePack).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[payload.Length + MessagePackFrame.HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(MessagePackFrame.HeaderSize));
        return frame;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await Socket.SendAsync(bytes, SocketFlags.None);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Reads one frame payload; null when the peer closed first.</summary>
    /// <exception cref="TimeoutException">Nothing complete arrived in time.</exception>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeouts.Default);
        try
        {
            if (!await FillAsync(MessagePackFrame.HeaderSize, deadline.Token))
            {
                return null;
            }

            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start));
            if (length > _buffer.Length - MessagePackFrame.HeaderSize || !await FillAsync(MessagePackFrame.HeaderSize + length, deadline.Token))
            {
                return null;
            }

            var payload = _buffer.AsSpan(_start + MessagePackFrame.HeaderSize, length).ToArray();
            _start += MessagePackFrame.HeaderSize + length;
            return payload;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException("no complete frame arrived in time");
        }
    }

    /// <summary>Reads and drops bytes until the server closes; false if it is still open after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeouts.Default);
        var scratch = new byte[4096];
        try
        {
            while (true)
            {
                if (await Socket.ReceiveAsync(scratch, SocketFlags.None, deadline.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true; // reset: closed as well
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<ServerChallenge> ReadChallengeAsync() =>
        ServerChallenge.Read(new ReadOnlySequence<byte>(await ReadFrameAsync() ?? throw new IOException("closed before the challenge")));

    public async Task<ServerVerdict> ReadVerdictAsync() =>
        ServerVerdict.Read(new ReadOnlySequence<byte>(await ReadFrameAsync() ?? throw new IOException("closed before the verdict")));

    /// <summary>A correctly signed response to <paramref name="challenge"/> (fields overridable to test the server's checks).</summary>
    public static ClientResponse SignedResponse(ServerChallenge challenge, string secret, PeerIdentity identity, string? clusterId = null, int? version = null)
    {
        var key = new ClusterKey(secret);
        var cluster = clusterId ?? challenge.ClusterId;
        var protocol = version ?? challenge.ProtocolVersion;
        var nonce = ClusterKey.NewNonce();
        var proof = key.ComputeProof(HandshakeDirection.ClientToServer, challenge.Nonce, nonce, cluster, protocol, identity);
        return new ClientResponse(cluster, protocol, identity, nonce, proof);
    }

    /// <summary>Runs a correct client handshake; afterwards the test can send anything.</summary>
    public async Task<ServerVerdict> AuthenticateAsync(string secret, PeerIdentity identity)
    {
        var challenge = await ReadChallengeAsync();
        await SendAsync(Frame(SignedResponse(challenge, secret, identity), ClientResponse.Write));
        return await ReadVerdictAsync();
    }

    public void Dispose() => Socket.Dispose();

    private async Task<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (_end - _start < needed && _start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < needed)
        {
            int received;
            try
            {
                received = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }

            if (received == 0)
            {
                return false;
            }

            _end += received;
        }

        return true;
    }
}
