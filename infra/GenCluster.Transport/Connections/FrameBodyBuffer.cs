using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>
/// The <see cref="IBufferWriter{T}"/> a frame body is encoded into: it hands out the output pipe's own memory just
/// after 4 reserved header bytes, so a body that fits the pipe's current block is written in place and never copied.
/// A body that outgrows the block continues in pooled arrays that are copied once on <see cref="Commit"/>.
/// </summary>
/// <remarks>
/// Nothing is advanced in the pipe until <see cref="Commit"/>, when the length is finally known and written in front;
/// until then <see cref="Abandon"/> leaves the pipe exactly as it was (a failed serializer sends nothing and the
/// connection stays usable). One instance per connection, used under its send lock.
/// </remarks>
internal sealed class FrameBodyBuffer : IBufferWriter<byte>
{
    // Spilled bodies grow chunk by chunk, each at least this large, so a big tensor takes few rentals.
    private const int MinimumSpillChunkSize = 64 * 1024;
    private const int MaximumSpillChunkSize = 16 * 1024 * 1024;

    // Room asked of the pipe for a body of unknown size. Without it the pipe would hand out whatever is left of its
    // current block (possibly a few bytes) and most small messages would spill; with it the pipe moves to a fresh
    // block when less than this is left, so typical messages are encoded in place.
    private const int DefaultBodySizeHint = 1024;

    private readonly int _maxFrameSize;
    private readonly List<(byte[] Chunk, int Length)> _fullChunks = [];
    private PipeWriter? _output;
    private Memory<byte> _head;
    private int _headLength;
    private byte[]? _chunk;
    private int _chunkLength;
    private long _length;

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

        _length += count;
        if (_length > _maxFrameSize)
        {
            throw new ArgumentException($"the frame payload exceeds the maximum frame size of {_maxFrameSize} bytes");
        }
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
            var free = _head[(MessagePackFrame.HeaderSize + _headLength)..];
            if (free.Length >= needed)
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

    /// <summary>Writes the length header and hands the whole frame to the pipe (not flushed).</summary>
    /// <returns>The payload length.</returns>
    /// <exception cref="ArgumentException">Nothing was written (a frame carries one value); the frame is abandoned.</exception>
    public int Commit()
    {
        var output = _output ?? throw new InvalidOperationException("no frame is being written");
        if (_length == 0)
        {
            Abandon();
            throw new ArgumentException("a frame carries one MessagePack value, but the body writer wrote nothing");
        }

        BinaryPrimitives.WriteUInt32BigEndian(_head.Span, (uint)_length);
        output.Advance(MessagePackFrame.HeaderSize + _headLength);
        foreach (var (chunk, length) in _fullChunks)
        {
            output.Write(chunk.AsSpan(0, length));
        }

        if (_chunk is not null)
        {
            output.Write(_chunk.AsSpan(0, _chunkLength));
        }

        int payloadLength = (int)_length;
        Abandon();
        return payloadLength;
    }

    /// <summary>Drops the frame being written; the pipe is left as it was before <see cref="Begin"/>.</summary>
    public void Abandon()
    {
        foreach (var (chunk, _) in _fullChunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _fullChunks.Clear();
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
        }

        _chunk = null;
        _chunkLength = 0;
        _head = default;
        _headLength = 0;
        _length = 0;
        _output = null;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_chunk))]
    private void StartChunk(int needed)
    {
        if (_chunk is not null)
        {
            _fullChunks.Add((_chunk, _chunkLength));
        }

        int size = Math.Max(needed, (int)Math.Clamp(_length, MinimumSpillChunkSize, MaximumSpillChunkSize));
        _chunk = ArrayPool<byte>.Shared.Rent(size);
        _chunkLength = 0;
    }
}
