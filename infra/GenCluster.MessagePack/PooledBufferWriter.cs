using System.Buffers;

namespace GenCluster.MessagePack;

/// <summary>A growable <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 256)
    {
        _initialCapacity = initialCapacity;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>How many bytes have been written.</summary>
    public int WrittenCount => _written;

    /// <summary>The size of the rented array.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Forgets what was written, keeping the array for reuse.</summary>
    public void Reset() => _written = 0;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>
    /// Hands the written bytes over without copying them: the caller owns the array from now on (it never goes back
    /// to the pool), and this writer starts over with a fresh one. For large values, where a copy would cost more
    /// than the pool saves.
    /// </summary>
    public ReadOnlyMemory<byte> DetachWritten()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var written = _buffer.AsMemory(0, _written);
        _buffer = ArrayPool<byte>.Shared.Rent(_initialCapacity);
        _written = 0;
        return written;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
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
                throw new InsufficientMemoryException("the written value exceeds the largest possible array");
            }
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent((int)target);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
