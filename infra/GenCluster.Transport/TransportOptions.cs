using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>Settings of the transport, bound from the configuration section <c>Transport</c>.</summary>
public sealed class TransportOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Transport";

    /// <summary>Name of the cluster; peers of another cluster are refused. Default <c>gencluster</c>.</summary>
    public string ClusterId { get; set; } = "gencluster";

    /// <summary>
    /// The secret every silo and client of the cluster shares; the handshake proves knowledge of it without sending it.
    /// Required. Never logged.
    /// </summary>
    public string ClusterSecret { get; set; } = "";

    /// <summary>Wire protocol version; peers must use the same one. Default 1.</summary>
    public int ProtocolVersion { get; set; } = 1;

    /// <summary>Largest frame payload sent or accepted, in bytes. Default 256 MiB.</summary>
    public int MaxFrameSize { get; set; } = 256 * 1024 * 1024;

    /// <summary>
    /// Bytes queued for sending on one connection above which senders wait (backpressure). Default 64 MiB.
    /// </summary>
    public long MaxPendingSendBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Time allowed for the whole handshake, on both sides. Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for the TCP connect of a client. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an orderly close (dispose, server stop) waits for queued frames to go out and the peer to hang up
    /// before it aborts the connection. Default 5 s.
    /// </summary>
    public TimeSpan GracefulCloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, each received payload is checked to be exactly one well-formed MessagePack value before it reaches
    /// the handler, and a malformed one closes the connection as a protocol error. Default false: the runtime decodes
    /// every payload anyway and reports its own typed errors.
    /// </summary>
    public bool ValidatePayloads { get; set; }

    /// <summary>
    /// When true (the default), two silos on the same host (same boot, IPC namespace and user, on Linux) move large
    /// frames through a shared-memory segment each side creates in <c>/dev/shm</c>, and the socket carries only a small
    /// descriptor per frame, in order with the rest. Client connections always use the socket. A frame that does not fit the segment still goes over the socket.
    /// Peers on different hosts, or in containers with separate <c>/dev/shm</c> mounts, use the socket alone.
    /// </summary>
    public bool SharedMemory { get; set; } = true;

    /// <summary>
    /// Bytes of the segment each side of a same-host connection creates for the frames it sends, reserved in the tmpfs
    /// up front (a Kubernetes pod's <c>/dev/shm</c> is 64 MiB unless a memory-backed volume enlarges it; when the room is
    /// not there, the connection uses the socket alone). Default 64 MiB.
    /// </summary>
    public long SharedMemorySegmentSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Smallest frame payload sent through shared memory; smaller frames gain nothing over the socket. Default 64 KiB.
    /// </summary>
    public int SharedMemoryMinimumFrameSize { get; set; } = 64 * 1024;

    /// <summary>
    /// How long the receive loop of a connection between two silos polls its socket for the next bytes before it sleeps
    /// until the kernel wakes it, when the connection's last bytes followed a gap no longer than this. Waking a sleeping
    /// thread costs tens of microseconds per message on a virtual machine, more than a grain call's own work; polling
    /// costs at most this much CPU at the end of each burst of messages, idle connections do not poll, and one connection
    /// of a process polls at a time (it holds up the socket event thread it runs on). Default 200 µs;
    /// <see cref="TimeSpan.Zero"/> turns polling off. Client connections never poll.
    /// </summary>
    public TimeSpan SiloReceivePolling { get; set; } = TimeSpan.FromMicroseconds(200);

    /// <summary>
    /// Unconsumed received bytes above which a connection stops reading from its socket. A whole frame must fit, and
    /// reading resumes at half this value, which must also exceed the largest partial frame left behind after the
    /// complete ones are consumed — hence twice the largest frame, plus room for one socket read.
    /// </summary>
    internal long ReceiveBufferLimit => 2L * (MaxFrameSize + MessagePackFrame.HeaderSize) + 64 * 1024;
}
