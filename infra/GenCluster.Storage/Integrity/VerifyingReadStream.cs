using System.Security.Cryptography;

namespace GenCluster.Storage.Integrity;

/// <summary>
/// Passes an object's bytes through while hashing them, and withholds the last ones until length and SHA-256 are
/// checked: a reader that reaches the end has either seen exactly the bytes that were written or an
/// <see cref="ObjectCorruptedException"/>. Hashing runs on the caller's buffer, so no byte is copied twice.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _name;
    private readonly long _expectedLength;
    private readonly byte[] _expectedSha256;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;

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
        if (wanted == 0 || (read > 0 && _position + read == _expectedLength))
        {
            // The probe for a byte past the recorded end is the only async step of the check.
            var extra = await _inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false);
            return Accept(buffer.Span[..read], wanted, () => extra);
        }

        return Accept(buffer.Span[..read], wanted, ProbeEnd);
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
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _hash.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
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
