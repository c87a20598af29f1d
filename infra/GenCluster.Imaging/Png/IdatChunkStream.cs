namespace GenCluster.Imaging;

/// <summary>
/// A write-only stream that cuts the zlib data stream into IDAT chunks of at most
/// <c>maxChunkLength</c> bytes, so an image never needs its whole compressed form in memory.
/// Call <see cref="Complete"/> once the compressor has been disposed to emit the last chunk.
/// </summary>
internal sealed class IdatChunkStream : Stream
{
    private static readonly byte[] IdatType = "IDAT"u8.ToArray();

    private readonly Stream _destination;
    private readonly byte[] _buffer;
    private int _filled;
    private bool _completed;

    public IdatChunkStream(Stream destination, int maxChunkLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChunkLength);
        _destination = destination;
        _buffer = new byte[maxChunkLength];
    }

    /// <summary>How many IDAT chunks were written so far.</summary>
    public int ChunksWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length)
            {
                EmitChunk();
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Buffered bytes stay buffered: chunk boundaries do not depend on compressor flushes.</summary>
    public override void Flush()
    {
    }

    /// <summary>Writes whatever is buffered as the final IDAT chunk.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        if (_filled > 0 || ChunksWritten == 0)
        {
            EmitChunk();
        }

        _completed = true;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitChunk()
    {
        PngChunk.Write(_destination, IdatType, _buffer.AsSpan(0, _filled));
        _filled = 0;
        ChunksWritten++;
    }
}
