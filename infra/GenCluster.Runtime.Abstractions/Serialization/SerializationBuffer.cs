using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> reused per thread, for serializing a value whose size is not known in
/// advance and then copying it out at its exact size: the copy is the only allocation. Rent one, write, copy out with
/// <see cref="ToArray"/>, dispose it (on the same thread, without awaiting in between).
/// </summary>
public sealed class SerializationBuffer : IBufferWriter<byte>, IDisposable
{
    private const int InitialCapacity = 256;

    // Larger buffers (a tensor argument, say) go back to the shared pool rather than stay pinned to a thread.
    private const int MaxRetainedCapacity = 64 * 1024;

    [ThreadStatic]
    private static SerializationBuffer? t_cached;

    private PooledBufferWriter _writer = new(InitialCapacity);
    private bool _rented;

    private SerializationBuffer()
    {
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _writer.WrittenSpan;

    /// <summary>How many bytes have been written.</summary>
    public int WrittenCount => _writer.WrittenCount;

    /// <summary>An empty buffer: this thread's cached one, or a new one when it is in use (nested serialization).</summary>
    public static SerializationBuffer Rent()
    {
        var buffer = t_cached ?? new SerializationBuffer();
        t_cached = null;
        buffer._rented = true;
        return buffer;
    }

    /// <summary>A copy of the written bytes at their exact size.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>
    /// The written bytes, owned by the caller: a copy at their exact size when small, the buffer's own array when
    /// large (a tensor, say), where copying would cost more than reusing the array saves.
    /// </summary>
    public ReadOnlyMemory<byte> TakeWritten() =>
        _writer.WrittenCount > MaxRetainedCapacity ? _writer.DetachWritten() : WrittenSpan.ToArray();

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

    /// <summary>Clears the buffer and gives it back to this thread for the next <see cref="Rent"/>.</summary>
    public void Dispose()
    {
        if (!_rented)
        {
            return;
        }

        _rented = false;
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
}
