using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace GenCluster.Transport;

/// <summary>
/// A connected <see cref="Socket"/> exposed as a <see cref="ConnectionContext"/>, on both sides: connections a client
/// opens, and connections Kestrel accepts through <see cref="SocketListenerFactory"/>. A receive loop copies socket
/// bytes into one pipe, a send loop drains the other pipe into the socket (everything flushed since its last write
/// goes out in one go). Large blocks can also skip the pipe (<see cref="IDirectSendFeature"/>): the send loop sends
/// them from where they lie, in order with the pipe's bytes; the rest of a large frame can skip the receive pipe
/// (<see cref="IDirectReceiveFeature"/>); and a sender may carry its flushed bytes to the socket itself while the
/// send loop is idle (<see cref="IInlineSendFeature"/>); and its receive loop may poll the socket between messages
/// that come in quick succession instead of sleeping (<see cref="IReceivePollingFeature"/>).
/// </summary>
internal sealed class SocketConnection : ConnectionContext, IDirectSendFeature, IDirectReceiveFeature, IInlineSendFeature, IReceivePollingFeature
{
    // Set only while the receive loop's flush runs the pipe's reader inline on this thread (IDirectReceiveFeature).
    [ThreadStatic]
    private static SocketConnection? t_flushingInline;

    // Set while a send loop's pass runs on a sender's thread (IInlineSendFeature), not on the thread pool.
    [ThreadStatic]
    private static bool t_inSendPass;

    // Bytes asked of the receive pipe per socket read. A read that fills its buffer means more is waiting (a large
    // frame), so the next read asks for twice as much, up to the maximum: a 64 MiB tensor then takes a few dozen
    // reads, and small messages keep small buffers.
    private const int ReceiveBufferSize = 64 * 1024;
    private const int MaxReceiveBufferSize = 4 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly Pipe _received;
    private readonly Pipe _toSend;
    private readonly SendLoopScheduler _sendScheduler = new();
    private readonly CancellationTokenSource _closedTokenSource = new();
    private readonly object _abortLock = new();
    private readonly TimeSpan _drainTimeout;
    private ConnectionAbortedException? _abortReason;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;

    // Blocks to send after the pipe's bytes (IDirectSendFeature); guarded by _directLock.
    private readonly Queue<(IReadOnlyList<ReadOnlyMemory<byte>> Segments, TaskCompletionSource Sent)> _direct = new();
    private readonly Lock _directLock = new();
    private Exception? _sendLoopEnded;

    // A granted direct receive (IDirectReceiveFeature): touched only by the receive loop and the reader it runs inline,
    // then handed back to the reader through the pipe's canceled read.
    private Memory<byte> _directReceive;
    private volatile bool _directReceived;

    // IReceivePollingFeature: the longest poll in Stopwatch ticks (0: off), and whether the receive loop's last wait for
    // bytes was short enough to poll for the next one. Touched by the receive loop only, except the limit.
    private long _pollTicks;
    private bool _lastGapShort = true;
    private TransportStatistics? _pollStatistics;

    // 1 while some connection of this process polls: one at a time, so polling holds up at most one socket event thread
    // (the others keep serving their sockets) and never burns more than one core.
    private static int s_polling;

    /// <param name="socket">A connected socket, owned by this connection from now on.</param>
    /// <param name="options">Buffer limits.</param>
    /// <param name="kind">Which side opened it (<c>client</c> or <c>server</c>), the prefix of its id in logs.</param>
    public SocketConnection(Socket socket, TransportOptions options, string kind)
    {
        _socket = socket;
        _drainTimeout = options.GracefulCloseTimeout;
        var scheduler = PipeScheduler.ThreadPool;

        // The frame reader runs on the receive loop's thread: frame handlers only decode and hand off (they never block),
        // and not dispatching saves a thread-pool hop on every message received.
        _received = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.ReceiveBufferLimit,
            resumeWriterThreshold: options.ReceiveBufferLimit / 2,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: scheduler,
            minimumSegmentSize: ReceiveBufferSize,
            useSynchronizationContext: false));
        _toSend = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.MaxPendingSendBytes,
            resumeWriterThreshold: options.MaxPendingSendBytes / 2,
            readerScheduler: _sendScheduler,
            writerScheduler: scheduler,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false));
        Transport = new DuplexPipe(_received.Reader, _toSend.Writer);
        ConnectionId = $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)];
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        Features.Set<IDirectSendFeature>(this);
        Features.Set<IDirectReceiveFeature>(this);
        Features.Set<IInlineSendFeature>(this);
        Features.Set<IReceivePollingFeature>(this);
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
        // What the application wrote before letting go still goes out (a handshake refusal, say), as with Kestrel's own
        // transport; a peer that does not read gets the drain timeout, then the socket is closed regardless.
        await _toSend.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sending.WaitAsync(_drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Given up on: Abort below drops the rest.
        }

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
            int size = ReceiveBufferSize;

            // A read that filled its buffer left more bytes waiting: the next one needs no poll.
            bool filled = false;
            while (true)
            {
                var memory = output.GetMemory(size);
                long pollTicks = Volatile.Read(ref _pollTicks), waitStarted = pollTicks > 0 ? Stopwatch.GetTimestamp() : 0;
                if (pollTicks > 0 && _lastGapShort && !filled)
                {
                    PollForBytes(waitStarted + pollTicks);
                }

                // When bytes are waiting, this completes at once, without the event loop.
                int received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (pollTicks > 0)
                {
                    _lastGapShort = Stopwatch.GetTimestamp() - waitStarted <= pollTicks;
                }

                if (received == 0)
                {
                    break;
                }

                filled = received == memory.Length;
                size = filled ? Math.Min(size * 2, MaxReceiveBufferSize) : ReceiveBufferSize;

                output.Advance(received);
                // The frame reader runs inline in this flush; what its handlers send (replies, say) goes out when it
                // is done with the read: one socket write per connection for all of the read's frames.
                t_flushingInline = this;
                ValueTask<FlushResult> pending;
                using (SendBatch.Begin())
                {
                    try
                    {
                        pending = output.FlushAsync();
                    }
                    finally
                    {
                        t_flushingInline = null;
                    }
                }

                var flush = await pending.ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }

                if (!_directReceive.IsEmpty && !await ReceiveDirectAsync().ConfigureAwait(false))
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

    /// <inheritdoc />
    public void PollBeforeSleeping(TimeSpan limit, TransportStatistics statistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(statistics);
        Volatile.Write(ref _pollStatistics, statistics);
        Volatile.Write(ref _pollTicks, (long)(limit.TotalSeconds * Stopwatch.Frequency));
    }

    // Why Available and not a non-blocking receive: it asks the kernel how many bytes wait without taking them, so the
    // receive that follows still goes through the async path and its error handling. Why yield: on a machine with
    // fewer cores than runnable threads, the thread that will send the awaited bytes may need this core.
    private void PollForBytes(long deadline)
    {
        if (_socket.Available > 0 || Interlocked.CompareExchange(ref s_polling, 1, 0) != 0)
        {
            return; // bytes are there already, or another connection polls
        }

        try
        {
            bool answered;
            do
            {
                Thread.Yield();
            }
            while (!(answered = _socket.Available > 0) && Stopwatch.GetTimestamp() < deadline);

            Volatile.Read(ref _pollStatistics)?.OnReceivePolled(answered);
        }
        finally
        {
            Volatile.Write(ref s_polling, 0);
        }
    }

    /// <inheritdoc />
    public Task SendAfterFlushedAsync(IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_directLock)
        {
            if (_sendLoopEnded is { } ended)
            {
                return Task.FromException(ended);
            }

            _direct.Enqueue((segments, sent));
        }

        // Wakes the send loop if it waits for pipe bytes; a canceled read is not an abort unless Abort was called.
        _toSend.Reader.CancelPendingRead();
        return sent.Task;
    }

    /// <inheritdoc />
    public void DeferSendLoop() => _sendScheduler.Defer();

    /// <inheritdoc />
    public bool RunDeferredSend(bool onThisThread)
    {
        if (!_sendScheduler.TryTakeDeferred(out var action, out var state))
        {
            // A sender about to wait for room while its own thread's batch holds this connection's pass: the pass
            // must not wait for the end of a batch the waiting sender belongs to, so it starts now, elsewhere.
            if (!onThisThread && SendBatch.IsGathering && SendBatch.Take(this) is { } gathered)
            {
                ThreadPool.UnsafeQueueUserWorkItem(gathered.Action, gathered.State, preferLocal: false);
            }

            return false;
        }

        if (!onThisThread)
        {
            ThreadPool.UnsafeQueueUserWorkItem(action, state, preferLocal: false);
            return false;
        }

        if (SendBatch.IsGathering)
        {
            SendBatch.Add(this, action, state);
        }
        else
        {
            RunSendPass(action, state);
        }

        return true;
    }

    // Runs the send loop's continuation on this thread. The loop only ever runs its own code here (socket writes), so
    // one flag tells it where it is: it returns the thread once the flushed bytes are out (see SendLoopAsync).
    internal static void RunSendPass(Action<object?> action, object? state)
    {
        bool outer = !t_inSendPass;
        t_inSendPass = true;
        try
        {
            action(state);
        }
        finally
        {
            if (outer)
            {
                t_inSendPass = false;
            }
        }
    }

    private async Task SendLoopAsync()
    {
        var input = _toSend.Reader;
        Exception? error = null;
        try
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            while (true)
            {
                if (result.IsCanceled && IsAborted)
                {
                    break;
                }

                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await SendAllAsync(segment).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.End);
                await SendDirectAsync(input).ConfigureAwait(false);
                if (result.IsCompleted)
                {
                    break;
                }

                var next = input.ReadAsync();
                if (t_inSendPass && next.IsCompleted)
                {
                    // A pass on a sender's thread sends what was flushed when it started and gives the thread back;
                    // whatever others flushed meanwhile goes out from the thread pool, batched.
                    result = next.Result;
                    await new ThreadPoolHop();
                }
                else
                {
                    result = await next.ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            error = IsAborted ? _abortReason : new IOException($"sending failed: {e.Message}", e);
        }
        finally
        {
            FailDirectSends(error);
            await input.CompleteAsync(error).ConfigureAwait(false);
            if (error is null && !IsAborted)
            {
                ShutdownSend();
            }
        }
    }

    /// <inheritdoc cref="IDirectSendFeature.Serves"/>
    public bool Serves(IDuplexPipe transport) =>
        ReferenceEquals(transport.Input, _received.Reader) && ReferenceEquals(transport.Output, _toSend.Writer);

    /// <inheritdoc />
    public bool TryReceiveDirect(Memory<byte> destination)
    {
        // Inline in our own flush, the reader has seen every byte received so far; having consumed them all, the
        // socket's next bytes are the ones it wants.
        if (!ReferenceEquals(t_flushingInline, this) || destination.IsEmpty || !_directReceive.IsEmpty)
        {
            return false;
        }

        _directReceive = destination;
        return true;
    }

    /// <inheritdoc />
    public bool TryTakeDirectReceived()
    {
        if (!_directReceived)
        {
            return false;
        }

        _directReceived = false;
        return true;
    }

    // Fills the granted destination from the socket, then wakes the reader (its pending read returns canceled).
    // False when the peer closed the stream first.
    private async ValueTask<bool> ReceiveDirectAsync()
    {
        var destination = _directReceive;
        while (!destination.IsEmpty)
        {
            int received = await _socket.ReceiveAsync(destination, SocketFlags.None).ConfigureAwait(false);
            if (received == 0)
            {
                return false;
            }

            destination = destination[received..];
        }

        _directReceive = default;
        _directReceived = true;
        _received.Reader.CancelPendingRead();
        return true;
    }

    // Each queued block list goes out after every pipe byte flushed before it was queued: those are drained first.
    private async ValueTask SendDirectAsync(PipeReader input)
    {
        while (true)
        {
            (IReadOnlyList<ReadOnlyMemory<byte>> Segments, TaskCompletionSource Sent) next;
            lock (_directLock)
            {
                if (!_direct.TryDequeue(out next))
                {
                    return;
                }
            }

            try
            {
                while (input.TryRead(out var pending))
                {
                    var buffer = pending.Buffer;
                    foreach (var segment in buffer)
                    {
                        await SendAllAsync(segment).ConfigureAwait(false);
                    }

                    input.AdvanceTo(buffer.End);
                    if (buffer.IsEmpty || pending.IsCompleted)
                    {
                        break;
                    }
                }

                foreach (var segment in next.Segments)
                {
                    await SendAllAsync(segment).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                next.Sent.TrySetException(e);
                throw;
            }

            next.Sent.TrySetResult();
        }
    }

    private void FailDirectSends(Exception? error)
    {
        var ended = error ?? new ConnectionAbortedException("the connection stopped sending");
        lock (_directLock)
        {
            _sendLoopEnded = ended;
            while (_direct.TryDequeue(out var item))
            {
                item.Sent.TrySetException(ended);
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
