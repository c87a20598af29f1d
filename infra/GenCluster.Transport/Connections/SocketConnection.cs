using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace GenCluster.Transport;

/// <summary>
/// A connected client <see cref="Socket"/> exposed as a <see cref="ConnectionContext"/>, the same abstraction Kestrel
/// gives the server side: a receive loop copies socket bytes into one pipe, a send loop drains the other pipe into the
/// socket (everything flushed since its last write goes out in one go).
/// </summary>
internal sealed class SocketConnection : ConnectionContext
{
    // Bytes asked of the receive pipe per socket read; large enough that a big frame takes few reads.
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly Pipe _received;
    private readonly Pipe _toSend;
    private readonly CancellationTokenSource _closedTokenSource = new();
    private readonly object _abortLock = new();
    private ConnectionAbortedException? _abortReason;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;

    public SocketConnection(Socket socket, TransportOptions options)
    {
        _socket = socket;
        var scheduler = PipeScheduler.ThreadPool;
        _received = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.ReceiveBufferLimit,
            resumeWriterThreshold: options.ReceiveBufferLimit / 2,
            readerScheduler: scheduler,
            writerScheduler: scheduler,
            minimumSegmentSize: ReceiveBufferSize,
            useSynchronizationContext: false));
        _toSend = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.MaxPendingSendBytes,
            resumeWriterThreshold: options.MaxPendingSendBytes / 2,
            readerScheduler: scheduler,
            writerScheduler: scheduler,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false));
        Transport = new DuplexPipe(_received.Reader, _toSend.Writer);
        ConnectionId = $"client-{Guid.NewGuid():N}"[..19];
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    /// <inheritdoc />
    public override string ConnectionId { get; set; }

    /// <inheritdoc />
    public override IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    /// <inheritdoc />
    public override IDuplexPipe Transport { get; set; }

    /// <inheritdoc />
    public override CancellationToken ConnectionClosed
    {
        get => _closedTokenSource.Token;
        set => throw new NotSupportedException("the closed token belongs to the connection");
    }

    /// <summary>Starts the receive and send loops.</summary>
    public void Start()
    {
        _receiving = ReceiveLoopAsync();
        _sending = SendLoopAsync();
    }

    /// <inheritdoc />
    public override void Abort(ConnectionAbortedException abortReason)
    {
        lock (_abortLock)
        {
            if (_abortReason is not null)
            {
                return;
            }

            _abortReason = abortReason;
        }

        // Wakes the send loop; disposing the socket ends a pending receive with an error.
        _toSend.Reader.CancelPendingRead();
        _socket.Dispose();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        Abort(new ConnectionAbortedException("the connection was disposed"));
        await Task.WhenAll(_receiving, _sending).ConfigureAwait(false);
        await _closedTokenSource.CancelAsync().ConfigureAwait(false);
    }

    private bool IsAborted
    {
        get
        {
            lock (_abortLock)
            {
                return _abortReason is not null;
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var output = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = output.GetMemory(ReceiveBufferSize);
                int received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }

                output.Advance(received);
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            error = IsAborted
                ? _abortReason
                : e is SocketException { SocketErrorCode: SocketError.ConnectionReset }
                    ? new ConnectionResetException("the peer reset the connection", e)
                    : new IOException($"receiving failed: {e.Message}", e);
        }
        finally
        {
            await output.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        var input = _toSend.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await SendAllAsync(segment).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            error = IsAborted ? _abortReason : new IOException($"sending failed: {e.Message}", e);
        }
        finally
        {
            await input.CompleteAsync(error).ConfigureAwait(false);
            if (error is null && !IsAborted)
            {
                ShutdownSend();
            }
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> segment)
    {
        while (!segment.IsEmpty)
        {
            int sent = await _socket.SendAsync(segment, SocketFlags.None).ConfigureAwait(false);
            segment = segment[sent..];
        }
    }

    // Everything queued went out: end our direction of the stream, so the peer reads all frames, then end of stream.
    private void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The socket is already gone; nothing more to tell the peer.
        }
    }
}
