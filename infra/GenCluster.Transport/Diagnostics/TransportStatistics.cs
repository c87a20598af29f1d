namespace GenCluster.Transport;

/// <summary>
/// Running totals of one <see cref="TransportServer"/> or <see cref="TransportClient"/> over all its connections.
/// Reads are individually atomic; a set of reads is not a consistent snapshot.
/// </summary>
public sealed class TransportStatistics
{
    private long _connectionsAccepted;
    private long _connectionsEstablished;
    private long _connectionsRefused;
    private long _handshakeTimeouts;
    private long _activeConnections;
    private long _protocolErrors;
    private long _framesReceived;
    private long _bytesReceived;
    private long _framesSent;
    private long _bytesSent;
    private long _bytesSentDirectly;
    private long _bytesReceivedDirectly;
    private long _sendsOnSenderThread;
    private long _sharedMemoryLinks;
    private long _bytesSentThroughSharedMemory;
    private long _bytesReceivedThroughSharedMemory;
    private long _receivePolls;
    private long _receivePollsAnswered;

    /// <summary>TCP connections accepted (server) or opened (client), before any handshake.</summary>
    public long ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>Connections whose handshake succeeded.</summary>
    public long ConnectionsEstablished => Volatile.Read(ref _connectionsEstablished);

    /// <summary>Connections whose handshake failed (refused, timed out, malformed, lost), timeouts included.</summary>
    public long ConnectionsRefused => Volatile.Read(ref _connectionsRefused);

    /// <summary>Handshakes that did not finish in time (also counted in <see cref="ConnectionsRefused"/>).</summary>
    public long HandshakeTimeouts => Volatile.Read(ref _handshakeTimeouts);

    /// <summary>Established connections not closed yet.</summary>
    public long ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>Established connections closed because the peer broke the framing (see <see cref="FrameProtocolException"/>).</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Application frames received on established connections.</summary>
    public long FramesReceived => Volatile.Read(ref _framesReceived);

    /// <summary>Payload bytes of <see cref="FramesReceived"/>.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Application frames queued for sending.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Payload bytes of <see cref="FramesSent"/>.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Payload bytes sent straight from the caller's memory, not through the send pipe (referenced blocks).</summary>
    public long BytesSentDirectly => Volatile.Read(ref _bytesSentDirectly);

    /// <summary>Payload bytes received straight into a large frame's own array, not through the receive pipe.</summary>
    public long BytesReceivedDirectly => Volatile.Read(ref _bytesReceivedDirectly);

    /// <summary>
    /// Flushes whose bytes the sending thread carried to the socket itself (the send loop was idle), instead of waking
    /// the send loop on another thread.
    /// </summary>
    public long SendsOnSenderThread => Volatile.Read(ref _sendsOnSenderThread);

    /// <summary>Connection directions set up to carry large frames through shared memory (two per same-host connection).</summary>
    public long SharedMemoryLinks => Volatile.Read(ref _sharedMemoryLinks);

    /// <summary>Payload bytes sent through shared memory (included in <see cref="BytesSent"/>).</summary>
    public long BytesSentThroughSharedMemory => Volatile.Read(ref _bytesSentThroughSharedMemory);

    /// <summary>Payload bytes received through shared memory (included in <see cref="BytesReceived"/>).</summary>
    public long BytesReceivedThroughSharedMemory => Volatile.Read(ref _bytesReceivedThroughSharedMemory);

    /// <summary>
    /// Times a receive loop between silos polled its socket instead of sleeping right away
    /// (<see cref="TransportOptions.SiloReceivePolling"/>).
    /// </summary>
    public long ReceivePolls => Volatile.Read(ref _receivePolls);

    /// <summary>Polls that bytes arrived during, each a thread wake-up saved; the rest used their whole time.</summary>
    public long ReceivePollsAnswered => Volatile.Read(ref _receivePollsAnswered);

    /// <inheritdoc />
    public override string ToString() =>
        $"accepted {ConnectionsAccepted}, established {ConnectionsEstablished}, refused {ConnectionsRefused} " +
        $"(timeouts {HandshakeTimeouts}), active {ActiveConnections}, protocol errors {ProtocolErrors}, " +
        $"received {FramesReceived} frames / {BytesReceived} B, sent {FramesSent} frames / {BytesSent} B" +
        $" (shared memory: {SharedMemoryLinks} links, sent {BytesSentThroughSharedMemory} B, received {BytesReceivedThroughSharedMemory} B)" +
        $", receive polls {ReceivePolls} ({ReceivePollsAnswered} answered)";

    internal void OnConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    internal void OnConnectionEstablished()
    {
        Interlocked.Increment(ref _connectionsEstablished);
        Interlocked.Increment(ref _activeConnections);
    }

    internal void OnConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    internal void OnConnectionRefused(HandshakeFailureKind kind)
    {
        Interlocked.Increment(ref _connectionsRefused);
        if (kind == HandshakeFailureKind.TimedOut)
        {
            Interlocked.Increment(ref _handshakeTimeouts);
        }
    }

    internal void OnProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void OnFrameReceived(long payloadBytes)
    {
        Interlocked.Increment(ref _framesReceived);
        Interlocked.Add(ref _bytesReceived, payloadBytes);
    }

    internal void OnFrameSent(long payloadBytes)
    {
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _bytesSent, payloadBytes);
    }

    internal void OnSentDirectly(long bytes) => Interlocked.Add(ref _bytesSentDirectly, bytes);

    internal void OnReceivedDirectly(long bytes) => Interlocked.Add(ref _bytesReceivedDirectly, bytes);

    internal void OnSentOnSenderThread() => Interlocked.Increment(ref _sendsOnSenderThread);

    internal void OnSharedMemoryLinked() => Interlocked.Increment(ref _sharedMemoryLinks);

    internal void OnSentThroughSharedMemory(long bytes) => Interlocked.Add(ref _bytesSentThroughSharedMemory, bytes);

    internal void OnReceivedThroughSharedMemory(long bytes) => Interlocked.Add(ref _bytesReceivedThroughSharedMemory, bytes);

    internal void OnReceivePolled(bool answered)
    {
        Interlocked.Increment(ref _receivePolls);
        if (answered)
        {
            Interlocked.Increment(ref _receivePollsAnswered);
        }
    }
}
