using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// Bytes that live in several blocks (an encoded header, then a tensor's own array, then the rest) but travel as one
/// <see cref="ReadOnlyMemory{T}"/>: code that knows this type reads the blocks as a <see cref="ReadOnlySequence{T}"/>
/// (<see cref="Sequence"/>) and sends them without a copy; code that does not gets a contiguous copy, made once on first
/// use of the span.
/// </summary>
/// <remarks>
/// The blocks are referenced, not copied: they must stay unchanged for as long as this memory is in use.
/// </remarks>
public sealed class SegmentedMemory : MemoryManager<byte>
{
    private readonly ReadOnlyMemory<byte>[] _segments;
    private readonly Lock _lock = new();
    private byte[]? _contiguous;
    private GCHandle _pin;
    private int _pins;

    /// <summary>Joins <paramref name="segments"/> (in order) into one logical block.</summary>
    /// <param name="segments">The blocks; empty ones are dropped.</param>
    public SegmentedMemory(IEnumerable<ReadOnlyMemory<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        _segments = segments.Where(s => !s.IsEmpty).ToArray();
        long length = 0;
        foreach (var segment in _segments)
        {
            length += segment.Length;
        }

        Length = length <= Array.MaxLength ? (int)length : throw new ArgumentException("the segments together exceed the largest possible array", nameof(segments));
        Sequence = BuildSequence(_segments);
    }

    /// <summary>Total length in bytes.</summary>
    public int Length { get; }

    /// <summary>The blocks, in order, without a copy.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Segments => _segments;

    /// <summary>Whether a contiguous copy has been made (someone asked for the span).</summary>
    public bool IsJoined
    {
        get
        {
            lock (_lock)
            {
                return _contiguous is not null;
            }
        }
    }

    /// <summary>The blocks as one sequence, without a copy.</summary>
    public ReadOnlySequence<byte> Sequence { get; }

    /// <summary>
    /// The blocks of <paramref name="memory"/> as a sequence: without a copy when it is (a slice of) a
    /// <see cref="SegmentedMemory"/>, else the memory itself as a one-segment sequence.
    /// </summary>
    /// <param name="memory">Any memory.</param>
    /// <returns>The same bytes.</returns>
    public static ReadOnlySequence<byte> AsSequence(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(memory, out var segmented, out int start, out int length)
            ? segmented.Sequence.Slice(start, length)
            : new ReadOnlySequence<byte>(memory);

    /// <summary>
    /// A copy of <paramref name="memory"/> that shares nothing with it, made without joining the blocks: each tensor array
    /// block becomes a hand-over copy (<see cref="ArrayBytes.HandOverCopy"/>) that the reader takes over instead of
    /// copying it again, the other blocks plain copies. Memory of another kind is copied into one array.
    /// </summary>
    /// <param name="memory">Any memory, for example a call's encoded arguments.</param>
    /// <returns>The copy.</returns>
    public static ReadOnlyMemory<byte> HandOverCopy(ReadOnlyMemory<byte> memory) => HandOverCopy(memory, shareLent: false);

    /// <summary>
    /// As <see cref="HandOverCopy(ReadOnlyMemory{byte})"/>, except that with <paramref name="shareLent"/> blocks lent for
    /// the duration of a call (<see cref="ArrayBytes.Lend{T}"/>) are shared, not copied: for a call within the process
    /// whose caller waits for it to complete, the callee then reads the caller's memory in place.
    /// </summary>
    /// <param name="memory">Any memory, for example a call's encoded arguments.</param>
    /// <param name="shareLent">Share lent blocks instead of copying them.</param>
    /// <returns>The copy, which shares at most the lent blocks.</returns>
    public static ReadOnlyMemory<byte> HandOverCopy(ReadOnlyMemory<byte> memory, bool shareLent)
    {
        if (!MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(memory, out var segmented, out int start, out int length)
            || start != 0 || length != segmented.Length)
        {
            return memory.ToArray();
        }

        var copies = new ReadOnlyMemory<byte>[segmented._segments.Length];
        for (int i = 0; i < copies.Length; i++)
        {
            var segment = segmented._segments[i];
            copies[i] = shareLent && ArrayBytes.IsLent(segment) ? segment : ArrayBytes.HandOverCopy(segment);
        }

        return new SegmentedMemory(copies).Memory;
    }

    /// <inheritdoc />
    /// <remarks>Overridden because the base property asks <see cref="GetSpan"/> for the length, which would join the blocks.</remarks>
    public override Memory<byte> Memory => CreateMemory(Length);

    /// <inheritdoc />
    public override Span<byte> GetSpan() => Contiguous();

    /// <inheritdoc />
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        var array = Contiguous();
        lock (_lock)
        {
            if (_pins++ == 0)
            {
                _pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            }
        }

        return new MemoryHandle((byte*)_pin.AddrOfPinnedObject() + elementIndex, pinnable: this);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
        lock (_lock)
        {
            if (_pins > 0 && --_pins == 0)
            {
                _pin.Free();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Nothing is owned: the blocks belong to whoever handed them over.
    }

    private byte[] Contiguous()
    {
        lock (_lock)
        {
            if (_contiguous is null)
            {
                var copy = GC.AllocateUninitializedArray<byte>(Length);
                Sequence.CopyTo(copy);
                _contiguous = copy;
            }

            return _contiguous;
        }
    }

    private static ReadOnlySequence<byte> BuildSequence(ReadOnlyMemory<byte>[] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (segments.Length == 1)
        {
            return new ReadOnlySequence<byte>(segments[0]);
        }

        var first = new Segment(segments[0], 0);
        var last = first;
        for (int i = 1; i < segments.Length; i++)
        {
            last = last.Append(segments[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
