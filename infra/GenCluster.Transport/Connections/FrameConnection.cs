using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using GenCluster.MessagePack;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport;

/// <summary>
/// An established (authenticated) connection over a <see cref="ConnectionContext"/> — Kestrel's on the server side,
/// a <see cref="SocketConnection"/> on the client side. One reader loop delivers frames to the handler in order;
/// senders write whole frames into the output pipe under a lock and flush, and the pipe's pause threshold
/// (<see cref="TransportOptions.MaxPendingSendBytes"/>) makes the flush wait when the socket cannot keep up.
/// </summary>
/// <remarks>
/// Over a <see cref="SocketConnection"/> whose send loop is idle, the sender writes its frame to the socket itself once
/// it has released the send lock (<see cref="IInlineSendFeature"/>), or at the end of its thread's
/// <see cref="SendBatch"/>; everything flushed while the loop is busy goes out in its next socket write, so concurrent
/// senders are still batched without any timer.
/// </remarks>
internal sealed partial class FrameConnection : IFrameConnection
{
    // The connection whose handler callback the current async flow is inside of: disposing that connection from its
    // own callback must not wait for the close, which cannot finish before the callback returns.
    private static readonly AsyncLocal<FrameConnection?> CurrentCallbackConnection = new();

    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IFrameHandler _handler;
    private readonly FrameReader _frames;
    private readonly FrameBodyBuffer _body;
    // Frames at least this large are assembled into an array of their own as their bytes arrive, which the message
    // decoder may keep (OwnedBytes), instead of waiting in the receive pipe and being copied out of it afterwards.
    private const int AssembleThreshold = 256 * 1024;

    // Rest of a frame worth receiving straight into its array rather than through the pipe.
    private const int DirectReceiveMinimum = 64 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stateLock = new();
    private readonly TransportStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _maxFrameSize;
    private readonly TimeSpan _gracefulCloseTimeout;
    private readonly bool _ownsContext;
    private volatile CloseState _state;
    private volatile bool _aborted;
    private Exception? _localCloseReason;
    private bool _outputCompleted;
    private Task _processing = Task.CompletedTask;
    private readonly IDirectSendFeature? _direct;
    private readonly IDirectReceiveFeature? _directReceive;
    private readonly IInlineSendFeature? _inlineSend;
    private readonly SharedMemoryLink? _link;
    private byte[]? _assembly;
    private int _assemblyLength;
    private int _assembled;

    public FrameConnection(
        ConnectionContext context,
        PeerIdentity remote,
        IFrameHandler handler,
        TransportOptions options,
        TransportStatistics statistics,
        TimeProvider timeProvider,
        ILogger logger,
        bool ownsContext,
        bool sharedMemory = false,
        bool betweenSilos = false)
    {
        _context = context;
        _input = context.Transport.Input;
        _output = context.Transport.Output;
        Remote = remote;
        _handler = handler;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = logger;
        _ownsContext = ownsContext;
        _maxFrameSize = options.MaxFrameSize;
        _gracefulCloseTimeout = options.GracefulCloseTimeout;
        _frames = new FrameReader(options.MaxFrameSize, options.ValidatePayloads ? MessagePackReaderOptions.Default : null);
        _body = new FrameBodyBuffer(options.MaxFrameSize);
        // Only over the socket's own pipes: a wrapping layer could still hold bytes that must go (or come) first.
        _direct = context.Features.Get<IDirectSendFeature>() is { } send && send.Serves(context.Transport) ? send : null;
        _directReceive = context.Features.Get<IDirectReceiveFeature>() is { } receive && receive.Serves(context.Transport) ? receive : null;
        _inlineSend = context.Features.Get<IInlineSendFeature>() is { } inline && inline.Serves(context.Transport) ? inline : null;
        if (betweenSilos && options.SiloReceivePolling > TimeSpan.Zero)
        {
            context.Features.Get<IReceivePollingFeature>()?.PollBeforeSleeping(options.SiloReceivePolling, statistics);
        }

        if (sharedMemory && OperatingSystem.IsLinux())
        {
            _link = new SharedMemoryLink(options.SharedMemorySegmentSize, options.SharedMemoryMinimumFrameSize);
        }
    }

    private enum CloseState
    {
        Open,
        ClosingLocally,
        ClosingRemotely,
    }

    /// <inheritdoc />
    public PeerIdentity Remote { get; }

    /// <inheritdoc />
    public EndPoint? RemoteEndPoint => _context.RemoteEndPoint;

    /// <inheritdoc />
    public bool IsConnected => _state == CloseState.Open;

    /// <inheritdoc />
    public Task Closed => _closed.Task;

    /// <summary>The transport's connection id, for logs.</summary>
    public string ConnectionId => _context.ConnectionId;

    /// <summary>Completes when the reader loop and the close sequence are done (never faults).</summary>
    public Task Completion => _processing;

    /// <summary>
    /// Tells the handler about the connection, then starts the reader loop. If the handler throws, the connection is
    /// closed (the handler still gets <see cref="IFrameHandler.OnDisconnectedAsync"/>) and the exception is rethrown.
    /// </summary>
    public async Task StartAsync()
    {
        _statistics.OnConnectionEstablished();
        LogEstablished(_logger, ConnectionId, Remote, RemoteEndPoint);
        try
        {
            CurrentCallbackConnection.Value = this;
            await _handler.OnConnectedAsync(this).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, e, ConnectionId, Remote, nameof(IFrameHandler.OnConnectedAsync));
            AbortTransport("the frame handler rejected the connection");
            await FinishAsync(e).ConfigureAwait(false);
            throw;
        }

        _processing = ProcessFramesAsync();
        if (OperatingSystem.IsLinux() && _link is not null)
        {
            _ = OfferSharedMemoryAsync(_link);
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (payload.IsEmpty)
        {
            throw new ArgumentException("a frame carries one MessagePack value; the payload is empty", nameof(payload));
        }

        if (payload.Length > _maxFrameSize)
        {
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the maximum frame size of {_maxFrameSize} bytes", nameof(payload));
        }

        // Uncontended sends take the lock synchronously and, unless the queue is full, complete without allocating.
        return _sendLock.Wait(0) ? WriteAndFlushAsync(payload, cancellationToken) : SendAfterWaitAsync(payload, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendAsync<TState>(TState state, FrameBodyWriter<TState> write, CancellationToken cancellationToken = default) =>
        SendAsync(state, write, sizeHint: 0, cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync<TState>(TState state, FrameBodyWriter<TState> write, int sizeHint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return _sendLock.Wait(0)
            ? WriteAndFlushAsync(state, write, sizeHint, cancellationToken)
            : SendAfterWaitAsync(state, write, sizeHint, cancellationToken);
    }

    /// <inheritdoc />
    public void Abort(string reason)
    {
        _aborted = true;
        if (TryBeginClose(CloseState.ClosingLocally, new ConnectionClosedException($"the connection was aborted: {reason}")))
        {
            LogAborted(_logger, ConnectionId, Remote, reason);
        }

        AbortTransport(reason);
    }

    /// <summary>
    /// Closes in order: frames already queued are sent, then the peer is told (end of stream), then this waits for
    /// the peer to hang up, up to <see cref="TransportOptions.GracefulCloseTimeout"/>, and aborts after that.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (TryBeginClose(CloseState.ClosingLocally, reason: null))
        {
            LogClosing(_logger, ConnectionId, Remote);
            await CompleteOutputAsync().ConfigureAwait(false);
        }

        if (CurrentCallbackConnection.Value == this)
        {
            return;
        }

        try
        {
            await _closed.Task.WaitAsync(_gracefulCloseTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            AbortTransport($"the peer did not close within {_gracefulCloseTimeout.TotalSeconds:0.###} s");
            await _closed.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Starts an orderly close without waiting for it (used when the server stops).</summary>
    public void BeginGracefulClose() => _ = DisposeAsync().AsTask();

    /// <inheritdoc />
    public override string ToString() => $"{ConnectionId} {Remote} ({RemoteEndPoint})";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAfterWaitAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await WriteAndFlushAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAfterWaitAsync<TState>(TState state, FrameBodyWriter<TState> write, int sizeHint, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await WriteAndFlushAsync(state, write, sizeHint, cancellationToken).ConfigureAwait(false);
    }

    // Called with the send lock held; the lock is released when the flush is done.
    private ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            ThrowIfClosing();
            if (OperatingSystem.IsLinux() && _link is { IsSending: true } link && link.TryReserve(payload.Length, out long block, out var destination))
            {
                payload.Span.CopyTo(destination);
                ControlFrame.WriteFrame(_output, block, payload.Length);
                _statistics.OnSentThroughSharedMemory(payload.Length);
            }
            else
            {
                FrameWriter.WriteFrame(_output, payload.Span, _maxFrameSize);
            }
        }
        catch
        {
            _sendLock.Release();
            throw;
        }

        _statistics.OnFrameSent(payload.Length);
        return FlushAndReleaseAsync(cancellationToken);
    }

    // Called with the send lock held; the lock is released when the flush (and a referenced tail's send) is done.
    private ValueTask WriteAndFlushAsync<TState>(TState state, FrameBodyWriter<TState> write, int sizeHint, CancellationToken cancellationToken)
    {
        int length;
        FrameTail? tail;
        try
        {
            ThrowIfClosing();
            length = EncodeFrame(state, write, sizeHint, out tail);
        }
        catch
        {
            _sendLock.Release();
            throw;
        }

        _statistics.OnFrameSent(length);
        return tail is null ? FlushAndReleaseAsync(cancellationToken) : SendTailAndReleaseAsync(tail);
    }

    private int EncodeFrame<TState>(TState state, FrameBodyWriter<TState> write, int sizeHint, out FrameTail? tail)
    {
        _body.Begin(_output, sizeHint);
        try
        {
            var writer = new MessagePackWriter(_body);
            write(ref writer, state);
            if (OperatingSystem.IsLinux() && _link is { IsSending: true } link && link.TryReserve(_body.Length, out long block, out var destination))
            {
                // One copy into the segment, where the socket would have copied the bytes into the kernel.
                int length = destination.Length;
                _body.MoveTo(destination);
                ControlFrame.WriteFrame(_output, block, length);
                _statistics.OnSentThroughSharedMemory(length);
                tail = null;
                return length;
            }
            if (_direct is null)
            {
                // A transport that cannot send blocks directly gets the whole frame in its pipe.
                tail = null;
                return _body.Commit();
            }

            return _body.Commit(out tail);
        }
        catch
        {
            _body.Abandon();
            throw;
        }
    }

    // The frame's head is in the pipe and its tail (from a referenced block on) must follow it on the wire, so this is
    // not cancelable: a half-sent frame would corrupt the stream. Closing the connection still ends the wait.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendTailAndReleaseAsync(FrameTail tail)
    {
        try
        {
            FlushResult result;
            try
            {
                result = await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                throw TranslateSendFailure(e, CancellationToken.None);
            }

            ThrowIfEnded(result);
            try
            {
                await _direct!.SendAfterFlushedAsync(tail.Segments).ConfigureAwait(false);
                _statistics.OnSentDirectly(tail.Segments.Sum(s => (long)s.Length));
            }
            catch (Exception e)
            {
                throw TranslateSendFailure(e, CancellationToken.None);
            }
        }
        finally
        {
            tail.Release();
            _sendLock.Release();
        }
    }

    // With an idle send loop the bytes go to the socket on this thread, after the send lock is released (so other
    // senders can fill the pipe meanwhile, for the loop's next write): no thread wake-up per message.
    private ValueTask FlushAndReleaseAsync(CancellationToken cancellationToken)
    {
        ValueTask<FlushResult> flush;
        _inlineSend?.DeferSendLoop();
        try
        {
            flush = _output.FlushAsync(cancellationToken);
        }
        catch (Exception e)
        {
            _inlineSend?.RunDeferredSend(onThisThread: false);
            _sendLock.Release();
            throw TranslateSendFailure(e, cancellationToken);
        }

        if (!flush.IsCompletedSuccessfully)
        {
            // Waiting for room (or failing): the loop must run without us.
            _inlineSend?.RunDeferredSend(onThisThread: false);
            return AwaitFlushAndReleaseAsync(flush, cancellationToken);
        }

        var result = flush.Result;
        _sendLock.Release();
        if (_inlineSend?.RunDeferredSend(onThisThread: true) == true)
        {
            _statistics.OnSentOnSenderThread();
        }

        ThrowIfEnded(result);
        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitFlushAndReleaseAsync(ValueTask<FlushResult> flush, CancellationToken cancellationToken)
    {
        FlushResult result;
        try
        {
            result = await flush.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw TranslateSendFailure(e, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        ThrowIfEnded(result);
    }

    private void ThrowIfClosing()
    {
        if (_state != CloseState.Open)
        {
            throw ClosedError();
        }
    }

    // A completed flush means the transport stopped reading our output; a canceled one means we are closing.
    private void ThrowIfEnded(FlushResult result)
    {
        if (result.IsCompleted || result.IsCanceled)
        {
            throw ClosedError();
        }
    }

    private Exception TranslateSendFailure(Exception error, CancellationToken cancellationToken) =>
        error is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? error
            : new ConnectionClosedException($"the connection to {Remote} is closed: {error.Message}", error);

    private ConnectionClosedException ClosedError()
    {
        var reason = _localCloseReason;
        return reason is null
            ? new ConnectionClosedException($"the connection to {Remote} is closed")
            : new ConnectionClosedException($"the connection to {Remote} is closed: {reason.Message}", reason);
    }

    private async Task ProcessFramesAsync()
    {
        CurrentCallbackConnection.Value = this;
        Exception? error = null;
        bool inHandler = false;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                bool directReceived = result.IsCanceled && _assembly is not null && _directReceive?.TryTakeDirectReceived() == true;
                if (directReceived)
                {
                    // The transport filled the rest of the frame's array straight from the socket.
                    _statistics.OnReceivedDirectly(_assemblyLength - _assembled);
                    _assembled = _assemblyLength;
                }

                try
                {
                    // An aborted connection stops here, even with frames still buffered: a peer that was cut off for
                    // sending garbage must not go on being decoded (and logged) frame by frame.
                    while (!_aborted && TryTakeFrame(ref buffer, out var payload))
                    {
                        _statistics.OnFrameReceived(payload.Length);
                        inHandler = true;
                        await _handler.OnFrameAsync(this, payload).ConfigureAwait(false);
                        inHandler = false;
                    }

                    if (_aborted)
                    {
                        error = _localCloseReason;
                        break;
                    }

                    if (result.IsCompleted || (result.IsCanceled && !directReceived))
                    {
                        error = buffer.IsEmpty && _assembly is null
                            ? EndedByUs()
                            : ProtocolError(new FrameProtocolException(
                                MessagePackDecodeError.Truncated,
                                $"the connection ended inside a frame ({buffer.Length + _assembled} bytes of it received)"));
                        break;
                    }
                }
                finally
                {
                    // Consumed: the complete frames handled; examined: everything, so the next read waits for more bytes.
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (Exception e) when (inHandler)
        {
            LogHandlerFailed(_logger, e, ConnectionId, Remote, nameof(IFrameHandler.OnFrameAsync));
            error = e;
            AbortTransport("the frame handler failed");
        }
        catch (MessagePackDecodeException e)
        {
            error = ProtocolError(new FrameProtocolException(e.Error, $"the peer broke the framing: {e.Reason}", e));
        }
        catch (Exception e)
        {
            error = _state == CloseState.ClosingLocally
                ? _localCloseReason
                : new ConnectionClosedException($"the connection to {Remote} was lost: {e.Message}", e);
        }

        await FinishAsync(error).ConfigureAwait(false);
    }

    // The next complete frame: small ones as a slice of the receive pipe, large ones assembled into their own array as
    // their bytes arrive (consuming the pipe as it goes, so its buffers are reused while still in cache).
    private bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        while (true)
        {
            if (_assembly is { } assembly)
            {
                int take = (int)Math.Min(buffer.Length, _assemblyLength - _assembled);
                buffer.Slice(0, take).CopyTo(assembly.AsSpan(_assembled));
                buffer = buffer.Slice(take);
                _assembled += take;
                if (_assembled < _assemblyLength)
                {
                    // Everything buffered is consumed: the rest may come straight from the socket into the array.
                    if (buffer.IsEmpty && _assemblyLength - _assembled >= DirectReceiveMinimum)
                    {
                        _directReceive?.TryReceiveDirect(assembly.AsMemory(_assembled, _assemblyLength - _assembled));
                    }

                    payload = default;
                    return false;
                }

                _assembly = null;
                _assembled = 0;

                // The receiver gives the array back (OwnedBytes.Release) once nothing refers to the frame any more; one
                // that never does leaves it to the GC.
                payload = new ReadOnlySequence<byte>(new OwnedBytes(assembly, _assemblyLength, LargeBufferPool.Return).Memory);
                _frames.CompleteAssembledFrame(payload);
                return true;
            }

            if (OperatingSystem.IsLinux() && _link is not null && ControlFrame.StartsControlFrame(buffer))
            {
                if (!ControlFrame.TryRead(ref buffer, out var control))
                {
                    payload = default;
                    return false;
                }

                if (control.Kind != ControlKind.Frame)
                {
                    OnControlFrame(_link, control);
                    continue;
                }

                payload = _link.TakeFrame(control.Offset, control.Length, _maxFrameSize);
                _statistics.OnReceivedThroughSharedMemory(payload.Length);
                try
                {
                    _frames.CompleteAssembledFrame(payload);
                }
                catch
                {
                    // A malformed payload (ValidatePayloads) never reaches the handler, which would have released it.
                    OwnedBytes.Release(payload.First);
                    throw;
                }

                return true;
            }

            // Even a large frame that is already buffered whole is copied out once here, as the decoder would otherwise
            // do, so that the pipe's memory is released at once.
            if (_frames.TryReadLength(buffer, out int length) && length >= AssembleThreshold)
            {
                // A pooled array: fresh megabytes cost page faults and zeroing in the kernel on first touch.
                _assembly = LargeBufferPool.Rent(length);
                _assemblyLength = length;
                _assembled = 0;
                buffer = buffer.Slice(MessagePackFrame.HeaderSize);
                continue;
            }

            return _frames.TryReadFrame(ref buffer, out payload);
        }
    }

    // This side's segment for its frames to the peer; the peer answers with Accept or Decline.
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private async Task OfferSharedMemoryAsync(SharedMemoryLink link)
    {
        try
        {
            // Reserving the segment's pages takes milliseconds: not on the thread that is setting up the connection.
            await Task.Yield();
            if (link.CreateOffer() is not { } segment)
            {
                return;
            }

            if (!await SendControlAsync(segment, static (output, segment) => ControlFrame.WriteOffer(output, segment.Name, segment.Size, segment.Token)).ConfigureAwait(false))
            {
                // Closed before the offer went out; Close unmaps the segment.
                link.OnOfferFailed();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            link.OnOfferFailed();
            LogSharedMemoryUnavailable(_logger, ConnectionId, Remote, e.Message);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private void OnControlFrame(SharedMemoryLink link, ControlFrame control)
    {
        switch (control.Kind)
        {
            case ControlKind.Offer:
                string? refusal = null;
                try
                {
                    link.OpenPeerSegment(control.Text, control.Length, control.Token!);
                    _statistics.OnSharedMemoryLinked();
                    LogSharedMemoryReceiving(_logger, ConnectionId, Remote, control.Length);
                }
                catch (Exception e) when (e is not (MessagePackDecodeException or OutOfMemoryException))
                {
                    // Whatever the named file turned out to be here (missing, another container's, not a regular file),
                    // the peer keeps using the socket.
                    refusal = e.Message;
                    LogSharedMemoryUnavailable(_logger, ConnectionId, Remote, e.Message);
                }

                // Not awaited: the reader loop must not wait for the send lock (a sender may be waiting for the peer to read).
                _ = SendControlAsync(refusal, static (output, refusal) =>
                {
                    if (refusal is null)
                    {
                        ControlFrame.WriteAccept(output);
                    }
                    else
                    {
                        ControlFrame.WriteDecline(output, refusal);
                    }
                });
                break;
            case ControlKind.Accept:
                link.OnAccepted();
                _statistics.OnSharedMemoryLinked();
                LogSharedMemorySending(_logger, ConnectionId, Remote);
                break;
            case ControlKind.Decline:
                link.OnDeclined();
                LogSharedMemoryDeclined(_logger, ConnectionId, Remote, control.Text);
                break;
        }
    }

    // False when the connection closed first: a control frame then has nobody left to tell.
    private async Task<bool> SendControlAsync<TState>(TState state, Action<PipeWriter, TState> write)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfClosing();
            write(_output, state);
        }
        catch (ConnectionClosedException)
        {
            _sendLock.Release();
            return false;
        }

        try
        {
            await FlushAndReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (ConnectionClosedException)
        {
            return false;
        }
    }

    private Exception? EndedByUs() => _state == CloseState.ClosingLocally ? _localCloseReason : null;

    private FrameProtocolException ProtocolError(FrameProtocolException error)
    {
        _statistics.OnProtocolError();
        LogProtocolError(_logger, ConnectionId, Remote, RemoteEndPoint, error.Error, error.Message);
        AbortTransport(error.Message);
        return error;
    }

    // The one place a connection ends: stop senders, release the pipes, tell the handler, then complete Closed.
    private async Task FinishAsync(Exception? error)
    {
        try
        {
            TryBeginClose(CloseState.ClosingRemotely, reason: null);
            await CompleteOutputAsync().ConfigureAwait(false);
            await _input.CompleteAsync().ConfigureAwait(false);
            _statistics.OnConnectionClosed();
            LogClosed(_logger, ConnectionId, Remote, error?.Message ?? "orderly close");
            try
            {
                await _handler.OnDisconnectedAsync(this, error).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogHandlerFailed(_logger, e, ConnectionId, Remote, nameof(IFrameHandler.OnDisconnectedAsync));
            }

            if (_ownsContext)
            {
                await _context.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Tearing down a broken transport may throw; Closed must complete regardless.
            LogTeardownFailed(_logger, e, ConnectionId);
        }
        finally
        {
            // After CompleteOutputAsync no sender writes into this side's segment any more.
            if (OperatingSystem.IsLinux())
            {
                _link?.Close();
            }

            _closed.TrySetResult();
        }
    }

    private bool TryBeginClose(CloseState state, Exception? reason)
    {
        lock (_stateLock)
        {
            if (_state != CloseState.Open)
            {
                return false;
            }

            _localCloseReason = reason;
            _state = state;
        }

        // Wakes a sender waiting for room in a full queue (or makes the next flush return at once), so it fails
        // instead of holding the send lock forever.
        _output.CancelPendingFlush();
        return true;
    }

    private async Task CompleteOutputAsync()
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_outputCompleted)
            {
                _outputCompleted = true;
                await _output.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void AbortTransport(string reason) => _context.Abort(new ConnectionAbortedException(reason));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} to {Remote} at {RemoteEndPoint} established")]
    private static partial void LogEstablished(ILogger logger, string connectionId, PeerIdentity remote, EndPoint? remoteEndPoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} to {Remote} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string connectionId, PeerIdentity remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing connection {ConnectionId} to {Remote}")]
    private static partial void LogClosing(ILogger logger, string connectionId, PeerIdentity remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aborting connection {ConnectionId} to {Remote}: {Reason}")]
    private static partial void LogAborted(ILogger logger, string connectionId, PeerIdentity remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} to {Remote} at {RemoteEndPoint} after a protocol error ({Error}): {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string connectionId, PeerIdentity remote, EndPoint? remoteEndPoint, MessagePackDecodeError error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} to {Remote}: large frames go through shared memory")]
    private static partial void LogSharedMemorySending(ILogger logger, string connectionId, PeerIdentity remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} to {Remote}: receiving large frames through the peer's shared-memory segment of {Size} bytes")]
    private static partial void LogSharedMemoryReceiving(ILogger logger, string connectionId, PeerIdentity remote, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} to {Remote}: shared memory is not available, frames go over the socket: {Reason}")]
    private static partial void LogSharedMemoryUnavailable(ILogger logger, string connectionId, PeerIdentity remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} to {Remote}: the peer declined shared memory, frames go over the socket: {Reason}")]
    private static partial void LogSharedMemoryDeclined(ILogger logger, string connectionId, PeerIdentity remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Releasing connection {ConnectionId} failed")]
    private static partial void LogTeardownFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The frame handler's {Callback} failed on connection {ConnectionId} to {Remote}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string connectionId, PeerIdentity remote, string callback);
}
