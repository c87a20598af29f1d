using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> reused per thread, for serializing a value whose size is not known in
/// advance and then copying it out at its exact size: the copy is the only allocation. Rent one, write, copy out with
/// <see cref="ToArray"/>, dispose it (on the same thread, without awaiting in between).
/// </summary>
/// <remarks>
/// Rented with <c>keepReferences</c> (a call's arguments), large blocks written by reference (a tensor's array) are
/// not copied: <see cref="TakeWritten"/> then returns a <see cref="SegmentedMemory"/> that points into them, and the
/// transport sends them from where they lie. Rented with <see cref="RentHandingOver"/> (a call's result), such blocks
/// are copied once into arrays of their own instead (<see cref="ArrayBytes.HandOverCopy"/>), which a reader in the same
/// process takes over and a connection sends by reference.
/// </remarks>
public sealed class SerializationBuffer : IBufferReferenceWriter, IDisposable
{
    private const int InitialCapacity = 256;

    // Larger buffers (a tensor argument, say) go back to the shared pool rather than stay pinned to a thread.
    private const int MaxRetainedCapacity = 64 * 1024;

    [ThreadStatic]
    private static SerializationBuffer? t_cached;

    // Blocks taken by reference, with the number of bytes written into the buffer before each.
    private readonly List<(int Offset, ReadOnlyMemory<byte> Block)> _references = [];
    private PooledBufferWriter _writer = new(InitialCapacity);
    private bool _rented;
    private bool _keepReferences;
    private bool _handOver;

    private SerializationBuffer()
    {
    }

    /// <summary>The bytes written so far.</summary>
    /// <exception cref="InvalidOperationException">Blocks were kept by reference (use <see cref="TakeWritten"/>).</exception>
    public ReadOnlySpan<byte> WrittenSpan => _references.Count == 0
        ? _writer.WrittenSpan
        : throw new InvalidOperationException("the buffer holds blocks by reference; take them with TakeWritten");

    /// <summary>How many bytes have been written (including blocks kept by reference).</summary>
    public int WrittenCount => _writer.WrittenCount + _references.Sum(r => r.Block.Length);

    /// <summary>An empty buffer: this thread's cached one, or a new one when it is in use (nested serialization).</summary>
    public static SerializationBuffer Rent() => Rent(keepReferences: false);

    /// <summary>An empty buffer that keeps large blocks by reference when <paramref name="keepReferences"/> is true.</summary>
    /// <param name="keepReferences">
    /// True for a call's arguments, whose caller leaves them unchanged until the call completes; false where the bytes
    /// must not depend on the value afterwards (results, state).
    /// </param>
    public static SerializationBuffer Rent(bool keepReferences)
    {
        var buffer = t_cached ?? new SerializationBuffer();
        t_cached = null;
        buffer._rented = true;
        buffer._keepReferences = keepReferences;
        buffer._handOver = false;
        return buffer;
    }

    /// <summary>
    /// An empty buffer that copies large blocks (a tensor's array) once into arrays of their own and keeps those by
    /// reference (see <see cref="ArrayBytes.HandOverCopy"/>): the written bytes do not depend on the value afterwards,
    /// and a reader in this process takes the arrays over instead of copying them again. Take them with
    /// <see cref="TakeWritten"/>.
    /// </summary>
    public static SerializationBuffer RentHandingOver()
    {
        var buffer = Rent(keepReferences: true);
        buffer._handOver = true;
        return buffer;
    }

    /// <summary>A copy of the written bytes at their exact size.</summary>
    public byte[] ToArray()
    {
        if (_references.Count == 0)
        {
            return _writer.WrittenSpan.ToArray();
        }

        var copy = GC.AllocateUninitializedArray<byte>(WrittenCount);
        Segments(_writer.WrittenSpan.ToArray()).CopyTo(copy);
        return copy;
    }

    /// <summary>
    /// The written bytes, owned by the caller: a copy at their exact size when small, the buffer's own array when
    /// large (a tensor, say), where copying would cost more than reusing the array saves; with blocks kept by
    /// reference, a <see cref="SegmentedMemory"/> over a copy of the small parts and the referenced blocks.
    /// </summary>
    public ReadOnlyMemory<byte> TakeWritten()
    {
        if (_references.Count > 0)
        {
            var memory = new SegmentedMemory(Interleave(_writer.WrittenSpan.ToArray())).Memory;
            _references.Clear();
            return memory;
        }

        return _writer.WrittenCount > MaxRetainedCapacity ? _writer.DetachWritten() : _writer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public void WriteByReference(ReadOnlyMemory<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(!_rented, this);
        if (!_keepReferences)
        {
            bytes.Span.CopyTo(_writer.GetSpan(bytes.Length));
            _writer.Advance(bytes.Length);
            return;
        }

        _references.Add((_writer.WrittenCount, _handOver ? ArrayBytes.HandOverCopy(bytes) : bytes));
    }

    /// <inheritdoc />
    public void Advance(int count) => _writer.Advance(count);

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        ObjectDisposedException.ThrowIf(!_rented, this);
        return _writer.GetMemory(sizeHint);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        ObjectDisposedException.ThrowIf(!_rented, this);
        return _writer.GetSpan(sizeHint);
    }

    /// <summary>Clears the buffer and gives it back to this thread for the next <see cref="Rent()"/>.</summary>
    public void Dispose()
    {
        if (!_rented)
        {
            return;
        }

        _rented = false;
        _handOver = false;
        _references.Clear();
        if (_writer.Capacity > MaxRetainedCapacity)
        {
            _writer.Dispose();
            _writer = new PooledBufferWriter(InitialCapacity);
        }
        else
        {
            _writer.Reset();
        }

        t_cached = this;
    }

    // The written bytes (a copy of the buffer's part) interleaved with the referenced blocks, in order.
    private ReadOnlySequence<byte> Segments(byte[] written) => new SegmentedMemory(Interleave(written)).Sequence;

    private IEnumerable<ReadOnlyMemory<byte>> Interleave(byte[] written)
    {
        int offset = 0;
        foreach (var (at, block) in _references)
        {
            yield return written.AsMemory(offset, at - offset);
            yield return block;
            offset = at;
        }

        yield return written.AsMemory(offset);
    }
}
