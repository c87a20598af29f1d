using System.Buffers;

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

    private byte[] _buffer = new byte[InitialCapacity];
    private bool _pooled;
    private int _written;
    private bool _rented;

    private SerializationBuffer()
    {
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>How many bytes have been written.</summary>
    public int WrittenCount => _written;

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

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Clears the buffer and gives it back to this thread for the next <see cref="Rent"/>.</summary>
    public void Dispose()
    {
        if (!_rented)
        {
            return;
        }

        _rented = false;
        _written = 0;
        if (_buffer.Length > MaxRetainedCapacity)
        {
            ReleasePooled();
            _buffer = new byte[InitialCapacity];
        }

        t_cached = this;
    }

    private void EnsureCapacity(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(!_rented, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        long target = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        if (target > Array.MaxLength)
        {
            target = (long)_written + needed;
            if (target > Array.MaxLength)
            {
                throw new InsufficientMemoryException("the serialized value exceeds the largest possible array");
            }
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)target);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ReleasePooled();
        _buffer = larger;
        _pooled = true;
    }

    private void ReleasePooled()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _pooled = false;
        }
    }
}
