using System.Buffers;
using System.Security.Cryptography;

namespace GenCluster.Storage.Integrity;

/// <summary>
/// Passes an object's bytes through while hashing them, and withholds the last ones until length and SHA-256 are
/// checked: a reader that reaches the end has either seen exactly the bytes that were written or an
/// <see cref="ObjectCorruptedException"/>.
/// </summary>
/// <remarks>
/// Asynchronous reads of large chunks overlap hashing with reading: the chunk is copied (a memory copy costs far less
/// than SHA-256) and hashed on a thread-pool thread while the caller reads the next one; the next read waits for it.
/// The last chunk is always hashed and checked before it is returned.
/// </remarks>
internal sealed class VerifyingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _name;
    private readonly long _expectedLength;
    private readonly byte[] _expectedSha256;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;
    private Task _hashing = Task.CompletedTask;
    private byte[]? _copy;

    /// <summary>Chunks from this size on are hashed in the background; smaller ones inline.</summary>
    private const int BackgroundHashThreshold = 64 * 1024;

    /// <summary>Wraps <paramref name="inner"/> (owned: disposed with this stream).</summary>
    public VerifyingReadStream(Stream inner, string name, long expectedLength, byte[] expectedSha256)
    {
        _inner = inner;
        _name = name;
        _expectedLength = expectedLength;
        _expectedSha256 = expectedSha256;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <summary>The object's recorded length.</summary>
    public override long Length => _expectedLength;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_verified || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, _expectedLength - _position);
        var read = wanted == 0 ? 0 : _inner.Read(buffer[..wanted]);
        _hashing.GetAwaiter().GetResult();
        return Accept(buffer[..read], wanted, ProbeEnd);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_verified || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, _expectedLength - _position);
        var read = wanted == 0 ? 0 : await _inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        // The previous chunk was hashed while this one was read; the hash takes chunks strictly in order.
        await _hashing.ConfigureAwait(false);
        if (wanted == 0 || (read > 0 && _position + read == _expectedLength))
        {
            // The probe for a byte past the recorded end is the only async step of the check.
            var extra = await _inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false);
            return Accept(buffer.Span[..read], wanted, () => extra);
        }

        if (read < BackgroundHashThreshold)
        {
            return Accept(buffer.Span[..read], wanted, ProbeEnd);
        }

        // The caller may reuse its buffer as soon as this returns: hash a copy.
        if (_copy is null || _copy.Length < read)
        {
            if (_copy is not null)
            {
                ArrayPool<byte>.Shared.Return(_copy);
            }

            _copy = ArrayPool<byte>.Shared.Rent(read);
        }

        buffer.Span[..read].CopyTo(_copy);
        var copy = _copy;
        _hashing = Task.Run(() => _hash.AppendData(copy, 0, read), CancellationToken.None);
        _position += read;
        return read;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            ReleaseHashing();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        ReleaseHashing();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // The background hash still reads the copy and the hash object: let it finish before both are released.
    private void ReleaseHashing()
    {
        _hashing.GetAwaiter().GetResult();
        _hash.Dispose();
        if (_copy is not null)
        {
            ArrayPool<byte>.Shared.Return(_copy);
            _copy = null;
        }
    }

    private int ProbeEnd() => _inner.Read(new byte[1]);

    private int Accept(ReadOnlySpan<byte> bytes, int wanted, Func<int> bytesPastEnd)
    {
        if (bytes.IsEmpty)
        {
            if (wanted > 0)
            {
                throw new ObjectCorruptedException(_name, $"truncated: {_position} of {_expectedLength} bytes");
            }

            // A zero-length object: nothing was read, so the end is reached at once.
            Verify(bytesPastEnd());
            return 0;
        }

        _hash.AppendData(bytes);
        _position += bytes.Length;
        if (_position == _expectedLength)
        {
            Verify(bytesPastEnd());
        }

        return bytes.Length;
    }

    private void Verify(int bytesPastEnd)
    {
        if (bytesPastEnd > 0)
        {
            throw new ObjectCorruptedException(_name, $"longer than its recorded {_expectedLength} bytes");
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetHashAndReset(actual);
        if (!actual.SequenceEqual(_expectedSha256))
        {
            throw new ObjectCorruptedException(_name, $"SHA-256 {Sha256Hex.Format(actual)} differs from the recorded {Sha256Hex.Format(_expectedSha256)}");
        }

        _verified = true;
    }
}
