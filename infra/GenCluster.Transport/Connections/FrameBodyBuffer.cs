using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>
/// The <see cref="IBufferWriter{T}"/> a frame body is encoded into: it hands out the output pipe's own memory just
/// after 4 reserved header bytes, so a body that fits the pipe's current block is written in place and never copied.
/// A body that outgrows the block continues in pooled arrays that are copied once on <see cref="Commit(out FrameTail?)"/>.
/// Large blocks written by reference (a tensor argument's array) are not copied at all: from the first of them on,
/// the frame's rest is a <see cref="FrameTail"/> that the connection sends from where the blocks lie.
/// </summary>
/// <remarks>
/// Nothing is advanced in the pipe until <see cref="Commit(out FrameTail?)"/>, when the length is finally known and
/// written in front; until then <see cref="Abandon"/> leaves the pipe exactly as it was (a failed serializer sends
/// nothing and the connection stays usable). One instance per connection, used under its send lock.
/// </remarks>
internal sealed class FrameBodyBuffer : IBufferReferenceWriter
{
    // Spilled bodies grow chunk by chunk, each at least this large, so a big tensor takes few rentals.
    private const int MinimumSpillChunkSize = 64 * 1024;
    private const int MaximumSpillChunkSize = 16 * 1024 * 1024;

    // Room asked of the pipe for a body of unknown size. Without it the pipe would hand out whatever is left of its
    // current block (possibly a few bytes) and most small messages would spill; with it the pipe moves to a fresh
    // block when less than this is left, so typical messages are encoded in place.
    private const int DefaultBodySizeHint = 1024;

    private readonly int _maxFrameSize;

    // What follows the head, in order: full pooled chunks and blocks held by reference (Pooled is null for those).
    private readonly List<(byte[]? Pooled, ReadOnlyMemory<byte> Bytes)> _parts = [];
    private PipeWriter? _output;
    private Memory<byte> _head;
    private int _headLength;
    private byte[]? _chunk;
    private int _chunkLength;
    private long _length;
    private bool _hasReferences;

    public FrameBodyBuffer(int maxFrameSize)
    {
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>Body bytes written since <see cref="Begin"/>.</summary>
    public long Length => _length;

    /// <summary>Starts a frame in <paramref name="output"/>.</summary>
    /// <param name="output">The connection's output pipe.</param>
    /// <param name="sizeHint">Expected body size; a good hint makes even a large body land in place.</param>
    public void Begin(PipeWriter output, int sizeHint)
    {
        if (_output is not null)
        {
            throw new InvalidOperationException("a frame is already being written");
        }

        _output = output;
        int expected = sizeHint > 0 ? Math.Min(sizeHint, _maxFrameSize) : Math.Min(DefaultBodySizeHint, _maxFrameSize);
        _head = output.GetMemory(MessagePackFrame.HeaderSize + expected);
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_chunk is null)
        {
            if (_hasReferences && count > 0)
            {
                throw new InvalidOperationException("advanced past the end of the buffer");
            }

            if (count > _head.Length - MessagePackFrame.HeaderSize - _headLength)
            {
                throw new InvalidOperationException("advanced past the end of the buffer");
            }

            _headLength += count;
        }
        else
        {
            if (count > _chunk.Length - _chunkLength)
            {
                throw new InvalidOperationException("advanced past the end of the buffer");
            }

            _chunkLength += count;
        }

        AddLength(count);
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_output is null)
        {
            throw new InvalidOperationException("no frame is being written");
        }

        int needed = Math.Max(sizeHint, 1);
        if (_chunk is null)
        {
            // After a referenced block the head is closed: what follows must come after the block.
            var free = _head[(MessagePackFrame.HeaderSize + _headLength)..];
            if (!_hasReferences && free.Length >= needed)
            {
                return free;
            }
        }
        else if (_chunk.Length - _chunkLength >= needed)
        {
            return _chunk.AsMemory(_chunkLength);
        }

        StartChunk(needed);
        return _chunk.AsMemory();
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc />
    public void WriteByReference(ReadOnlyMemory<byte> bytes)
    {
        if (_output is null)
        {
            throw new InvalidOperationException("no frame is being written");
        }

        AddLength(bytes.Length);
        CloseChunk();
        _parts.Add((null, bytes));
        _hasReferences = true;
    }

    /// <summary>Writes the length header and hands the whole frame to the pipe (not flushed); referenced blocks are copied.</summary>
    /// <returns>The payload length.</returns>
    /// <exception cref="ArgumentException">Nothing was written (a frame carries one value); the frame is abandoned.</exception>
    public int Commit()
    {
        var output = _output;
        int length = Commit(out var tail);
        if (tail is not null)
        {
            foreach (var segment in tail.Segments)
            {
                output!.Write(segment.Span);
            }

            tail.Release();
        }

        return length;
    }

    /// <summary>
    /// Writes the length header and hands the frame to the pipe (not flushed) up to its first referenced block; the
    /// rest, if any, is returned as <paramref name="tail"/>, to be sent right after the pipe's bytes and released then.
    /// </summary>
    /// <param name="tail">The frame's rest from its first referenced block on, or null when the pipe holds all of it.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="ArgumentException">Nothing was written (a frame carries one value); the frame is abandoned.</exception>
    public int Commit(out FrameTail? tail)
    {
        var output = _output ?? throw new InvalidOperationException("no frame is being written");
        tail = null;
        if (_length == 0)
        {
            Abandon();
            throw new ArgumentException("a frame carries one MessagePack value, but the body writer wrote nothing");
        }

        CloseChunk();
        BinaryPrimitives.WriteUInt32BigEndian(_head.Span, (uint)_length);
        output.Advance(MessagePackFrame.HeaderSize + _headLength);
        int first = _parts.FindIndex(p => p.Pooled is null);
        int copied = first < 0 ? _parts.Count : first;
        for (int i = 0; i < copied; i++)
        {
            output.Write(_parts[i].Bytes.Span);
        }

        if (first >= 0)
        {
            // The tail keeps its pooled chunks until it is sent; Abandon must not return them.
            var rest = _parts.GetRange(first, _parts.Count - first);
            _parts.RemoveRange(first, _parts.Count - first);
            tail = new FrameTail(rest.Select(p => p.Bytes).ToArray(), rest.Where(p => p.Pooled is not null).Select(p => p.Pooled!).ToArray());
        }

        int payloadLength = (int)_length;
        Abandon();
        return payloadLength;
    }

    /// <summary>
    /// Copies the whole body into <paramref name="destination"/> (exactly <see cref="Length"/> bytes) and drops the frame:
    /// the pipe is left as it was before <see cref="Begin"/>, free for the frame's descriptor.
    /// </summary>
    public void MoveTo(Span<byte> destination)
    {
        if (_output is null)
        {
            throw new InvalidOperationException("no frame is being written");
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, _length);
        CloseChunk();
        _head.Span.Slice(MessagePackFrame.HeaderSize, _headLength).CopyTo(destination);
        int at = _headLength;
        foreach (var (_, bytes) in _parts)
        {
            bytes.Span.CopyTo(destination[at..]);
            at += bytes.Length;
        }

        Abandon();
    }

    /// <summary>Drops the frame being written; the pipe is left as it was before <see cref="Begin"/>.</summary>
    public void Abandon()
    {
        foreach (var (pooled, _) in _parts)
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }

        _parts.Clear();
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
        }

        _chunk = null;
        _chunkLength = 0;
        _head = default;
        _headLength = 0;
        _length = 0;
        _hasReferences = false;
        _output = null;
    }

    private void AddLength(int count)
    {
        _length += count;
        if (_length > _maxFrameSize)
        {
            throw new ArgumentException($"the frame payload exceeds the maximum frame size of {_maxFrameSize} bytes");
        }
    }

    // Moves the chunk being filled into the ordered parts (or back to the pool when empty).
    private void CloseChunk()
    {
        if (_chunk is null)
        {
            return;
        }

        if (_chunkLength > 0)
        {
            _parts.Add((_chunk, _chunk.AsMemory(0, _chunkLength)));
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_chunk);
        }

        _chunk = null;
        _chunkLength = 0;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_chunk))]
    private void StartChunk(int needed)
    {
        CloseChunk();
        int size = Math.Max(needed, (int)Math.Clamp(_length, MinimumSpillChunkSize, MaximumSpillChunkSize));
        _chunk = ArrayPool<byte>.Shared.Rent(size);
        _chunkLength = 0;
    }
}
