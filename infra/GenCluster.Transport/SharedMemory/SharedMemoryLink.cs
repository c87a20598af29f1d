using System.Buffers;
using System.Runtime.Versioning;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>
/// Frames between two peers on one host, through memory both map instead of through the kernel's TCP stack: each side
/// creates a segment for the frames it sends (<see cref="CreateOffer"/>), the other opens it (<see cref="OpenPeerSegment"/>)
/// and accepts, and from then on a large frame's payload is copied into the segment once (where the socket would have
/// copied it into the kernel) while the socket carries only its descriptor, in order with every other frame. The receiver reads the payload where it lies and releases its
/// block when done (<see cref="OwnedBytes.Release"/>). A frame that does not fit goes over the socket as before.
/// </summary>
/// <remarks>
/// Sending members run under the connection's send lock; receiving ones on its reader loop. The peer's segment stays
/// mapped until the connection has closed and every frame received through it has been released.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class SharedMemoryLink
{
    private readonly long _segmentSize;
    private readonly int _minimumFrameSize;
    private readonly Lock _gate = new();
    private SharedMemorySegment? _outbound;
    private SegmentAllocator? _allocator;
    private OutboundState _state;
    private volatile bool _accepted;
    private bool _closed;
    private SharedMemorySegment? _inbound;

    // One count for the open connection plus one per received frame not yet released; the peer's segment is unmapped at 0.
    private int _inboundReferences = 1;

    public SharedMemoryLink(long segmentSize, int minimumFrameSize)
    {
        _segmentSize = segmentSize;
        _minimumFrameSize = minimumFrameSize;
    }

    /// <summary>Whether large frames to the peer go through shared memory now.</summary>
    public bool IsSending => _accepted;

    private enum OutboundState
    {
        None,
        Offered,
        Accepted,
        Declined,
    }

    /// <summary>Creates this side's segment; the caller sends the offer.</summary>
    /// <returns>The segment, or null when the connection closed first.</returns>
    /// <exception cref="IOException">The segment cannot be created (no room in the tmpfs).</exception>
    public SharedMemorySegment? CreateOffer()
    {
        var segment = SharedMemorySegment.Create(_segmentSize);
        lock (_gate)
        {
            if (_closed || _state != OutboundState.None)
            {
                segment.Dispose();
                return null;
            }

            _allocator = new SegmentAllocator(segment);
            _outbound = segment;
            _state = OutboundState.Offered;
            return segment;
        }
    }

    /// <summary>The peer opened this side's segment: large frames go through it from now on.</summary>
    /// <exception cref="MessagePackDecodeException">Nothing was offered, or the offer was already answered.</exception>
    public void OnAccepted() => Answer(OutboundState.Accepted, "accepted");

    /// <summary>The peer could not open this side's segment: frames keep going over the socket.</summary>
    /// <exception cref="MessagePackDecodeException">Nothing was offered, or the offer was already answered.</exception>
    /// <remarks>Not unmapped here: a sender may be copying into it under the send lock; Close unmaps once senders are done.</remarks>
    public void OnDeclined() => Answer(OutboundState.Declined, "declined");

    /// <summary>This side could not offer its segment (or the offer could not be sent): frames go over the socket.</summary>
    public void OnOfferFailed()
    {
        lock (_gate)
        {
            _state = OutboundState.Declined;
            _outbound?.DeleteName();
        }
    }

    /// <summary>Opens the segment the peer offered, for the frames it will send through it.</summary>
    /// <exception cref="IOException">It cannot be opened here, or is not the peer's (another host, another container).</exception>
    /// <exception cref="MessagePackDecodeException">The peer offered a second segment.</exception>
    public void OpenPeerSegment(string name, long size, byte[] token)
    {
        if (_inbound is not null)
        {
            throw Malformed("the peer offered a second shared-memory segment");
        }

        Volatile.Write(ref _inbound, SharedMemorySegment.Open(name, size, token));
    }

    /// <summary>
    /// Reserves room for a frame payload of <paramref name="length"/> bytes in this side's segment, if the payload is
    /// large enough to be worth it and a block is free. The caller fills <paramref name="destination"/> and then sends
    /// the descriptor (<see cref="ControlFrame.WriteFrame"/>) of <paramref name="blockOffset"/>.
    /// </summary>
    /// <returns>False when the frame should go over the socket.</returns>
    public bool TryReserve(long length, out long blockOffset, out Span<byte> destination)
    {
        blockOffset = 0;
        destination = default;
        if (!_accepted || length < _minimumFrameSize || length > int.MaxValue || !_allocator!.TryAllocate(length, out blockOffset))
        {
            return false;
        }

        destination = new Span<byte>(_outbound!.Base + blockOffset + SegmentAllocator.BlockHeaderSize, (int)length);
        return true;
    }

    /// <summary>
    /// The payload a descriptor points at in the peer's segment, as owned memory whose release hands the block back.
    /// </summary>
    /// <exception cref="MessagePackDecodeException">No segment was accepted, or the descriptor points outside it or at a free block.</exception>
    public ReadOnlySequence<byte> TakeFrame(long blockOffset, long length, int maxFrameSize)
    {
        var segment = Volatile.Read(ref _inbound)
            ?? throw Malformed("a frame in shared memory, but no segment was accepted from the peer");
        if (length <= 0 || length > maxFrameSize || blockOffset < SharedMemorySegment.HeaderSize
            || blockOffset % SegmentAllocator.BlockHeaderSize != 0
            || blockOffset > segment.Size - SegmentAllocator.BlockHeaderSize - length)
        {
            throw Malformed($"a frame of {length} bytes at block {blockOffset}, outside the peer's segment of {segment.Size} bytes");
        }

        if (!SegmentAllocator.IsInUse(segment, blockOffset))
        {
            throw Malformed($"a frame at block {blockOffset}, which the peer has not filled");
        }

        Interlocked.Increment(ref _inboundReferences);
        var owned = new OwnedBytes(segment.Base + blockOffset + SegmentAllocator.BlockHeaderSize, (int)length, () =>
        {
            SegmentAllocator.Release(segment, blockOffset);
            ReleaseInbound();
        });
        return new ReadOnlySequence<byte>(owned.Memory);
    }

    /// <summary>
    /// The connection is gone and no sender can run any more: this side's segment is unmapped (the peer's mapping keeps
    /// what it still reads), and the peer's once every frame received through it is released. Runs once; later calls do
    /// nothing.
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _accepted = false;
            _outbound?.Dispose();
        }

        ReleaseInbound();
    }

    // The peer's one answer to this side's offer.
    private void Answer(OutboundState answer, string verb)
    {
        lock (_gate)
        {
            if (_state != OutboundState.Offered)
            {
                throw Malformed($"the peer {verb} a shared-memory segment while this side's offer is {_state}");
            }

            _state = answer;
            _outbound!.DeleteName();
            _accepted = answer == OutboundState.Accepted && !_closed;
        }
    }

    private void ReleaseInbound()
    {
        if (Interlocked.Decrement(ref _inboundReferences) == 0)
        {
            Volatile.Read(ref _inbound)?.Dispose();
        }
    }

    private static MessagePackDecodeException Malformed(string what) =>
        new(MessagePackDecodeError.InvalidFrame, what, position: 0);
}
