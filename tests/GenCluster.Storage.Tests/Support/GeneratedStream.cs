using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GenCluster.Storage.Tests.Support;

/// <summary>
/// A read-only stream of <c>length</c> pseudo-random bytes from a seed (SplitMix64), made as it is read: large
/// objects are written without holding them in memory, and the same seed gives the same bytes again.
/// </summary>
internal sealed class GeneratedStream(long length, ulong seed, Action<long>? onRead = null) : Stream
{
    private long _position;

    /// <summary>The SHA-256 (lower-case hex) of the bytes a stream with these arguments yields.</summary>
    public static string Sha256Of(long length, ulong seed)
    {
        using var stream = new GeneratedStream(length, seed);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The bytes a stream with these arguments yields, for small objects.</summary>
    public static byte[] Bytes(int length, ulong seed)
    {
        var bytes = new byte[length];
        using var stream = new GeneratedStream(length, seed);
        stream.ReadExactly(bytes);
        return bytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var p = _position;
        for (var i = 0; i < count;)
        {
            // Byte p is byte (p mod 8) of word (p / 8): the bytes do not depend on how the stream is read.
            var word = Word(seed, (ulong)p >> 3);
            var within = (int)(p & 7);
            var take = Math.Min(8 - within, count - i);
            if (take == 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(buffer[i..], word);
            }
            else
            {
                for (var k = 0; k < take; k++)
                {
                    buffer[i + k] = (byte)(word >> (8 * (within + k)));
                }
            }

            i += take;
            p += take;
        }

        _position += count;
        onRead?.Invoke(_position);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // SplitMix64 of the word index: cheap, and every seed gives an unrelated sequence.
    private static ulong Word(ulong seed, ulong index)
    {
        var z = seed + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
