using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace GenCluster.Storage.FileSystem;

/// <summary>
/// Writes an object's bytes into its staging file with hashing and writing on two threads: each chunk goes to a
/// hashing loop (SHA-256, chunks strictly in order) and to a writing loop (positional write, then the start of its
/// write-out to the disk) at the same time, so a write takes about as long as the slower of the two rather than
/// their sum, and the final <c>fsync</c> finds most pages already on their way to the disk.
/// </summary>
/// <remarks>
/// Both loops read the same chunk, so the hash covers exactly the bytes written. A chunk of a stream is a pooled
/// buffer, reused only once both loops are done with it (at most <c>buffers</c> exist: bounded memory); a chunk of
/// caller memory is a slice of it, without a copy. The first failure (a read, a write, cancellation) stops every
/// loop, and the write reports it once all loops ended: no buffer is returned to the pool while a loop still uses it.
/// </remarks>
internal sealed class StagingFileWriter : IDisposable
{
    // Write-out starts in runs of at least this many bytes of whole pages (a page still being filled is left alone).
    private const long WriteBackRun = 1 << 20;
    private const long PageSize = 4096;

    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly bool _writeBack;
    private readonly IProgress<long>? _progress;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Channel<Chunk> _toHash = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<Chunk> _toWrite = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<byte[]> _free = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<byte[]> _rented = [];
    private readonly CancellationTokenSource _stop;
    private long _length;

    private StagingFileWriter(SafeFileHandle handle, long start, bool writeBack, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        _handle = handle;
        _start = start;
        _writeBack = writeBack;
        _progress = progress;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="content"/> (read to its end in chunks of <paramref name="bufferSize"/>, through at most
    /// <paramref name="buffers"/> buffers) from file offset <paramref name="start"/> on.
    /// </summary>
    /// <returns>The number of bytes written and their SHA-256.</returns>
    public static async Task<(long Length, byte[] Sha256)> WriteAsync(
        SafeFileHandle handle, long start, Stream content, int bufferSize, int buffers, bool writeBack, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var writer = new StagingFileWriter(handle, start, writeBack, progress, cancellationToken);
        return await writer.RunAsync(token => writer.ProduceAsync(content, bufferSize, buffers, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="content"/> in chunks of <paramref name="chunkSize"/> from file offset
    /// <paramref name="start"/> on, without copying it; the caller must not change it until the task completes.
    /// </summary>
    /// <returns>The number of bytes written and their SHA-256.</returns>
    public static async Task<(long Length, byte[] Sha256)> WriteAsync(
        SafeFileHandle handle, long start, ReadOnlyMemory<byte> content, int chunkSize, bool writeBack, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var writer = new StagingFileWriter(handle, start, writeBack, progress, cancellationToken);
        return await writer.RunAsync(token => writer.Produce(content, chunkSize, token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _hash.Dispose();
        _stop.Dispose();
        foreach (var buffer in _rented)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _rented.Clear();
    }

    private async Task<(long Length, byte[] Sha256)> RunAsync(Func<CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        var token = _stop.Token;
        var hashing = Task.Run(() => HashLoopAsync(token), CancellationToken.None);
        var writing = Task.Run(() => WriteLoopAsync(token), CancellationToken.None);
        Exception? produceFailure = null;
        try
        {
            await produce(token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            produceFailure = e;
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _toHash.Writer.TryComplete();
        _toWrite.Writer.TryComplete();
        try
        {
            await Task.WhenAll(hashing, writing).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Sorted out below: a loop's own error wins over the cancellation it caused elsewhere.
        }

        var loopFailure = hashing.Exception?.InnerException ?? writing.Exception?.InnerException;
        if (loopFailure is not null)
        {
            ExceptionDispatchInfo.Throw(loopFailure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (produceFailure is not null)
        {
            ExceptionDispatchInfo.Throw(produceFailure);
        }

        _progress?.Report(_length);
        return (_length, _hash.GetHashAndReset());
    }

    private async Task ProduceAsync(Stream content, int bufferSize, int buffers, CancellationToken token)
    {
        while (true)
        {
            if (!_free.Reader.TryRead(out var buffer))
            {
                if (_rented.Count < buffers)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                    _rented.Add(buffer);
                }
                else
                {
                    buffer = await _free.Reader.ReadAsync(token).ConfigureAwait(false);
                }
            }

            var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, bufferSize), bufferSize, throwOnEndOfStream: false, token).ConfigureAwait(false);
            if (read > 0)
            {
                Post(buffer.AsMemory(0, read), buffer);
            }

            // Fewer bytes than asked for means the end of the stream.
            if (read < bufferSize)
            {
                return;
            }
        }
    }

    private Task Produce(ReadOnlyMemory<byte> content, int chunkSize, CancellationToken token)
    {
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            token.ThrowIfCancellationRequested();
            Post(content.Slice(offset, Math.Min(chunkSize, content.Length - offset)), buffer: null);
        }

        return Task.CompletedTask;
    }

    private void Post(ReadOnlyMemory<byte> bytes, byte[]? buffer)
    {
        var chunk = new Chunk(bytes, _start + _length, buffer);
        _length += bytes.Length;
        _toHash.Writer.TryWrite(chunk);
        _toWrite.Writer.TryWrite(chunk);
    }

    private async Task HashLoopAsync(CancellationToken token)
    {
        try
        {
            await foreach (var chunk in _toHash.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                // ReadAllAsync checks the token only when it has to wait: a queue of ready chunks would run on.
                token.ThrowIfCancellationRequested();
                _hash.AppendData(chunk.Bytes.Span);
                Release(chunk);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            var writtenBack = _start - (_start % PageSize);
            await foreach (var chunk in _toWrite.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                token.ThrowIfCancellationRequested();
                RandomAccess.Write(_handle, chunk.Bytes.Span, chunk.Offset);
                var end = chunk.Offset + chunk.Bytes.Length;
                _progress?.Report(end - _start);
                Release(chunk);
                var wholePages = end - (end % PageSize);
                if (_writeBack && wholePages - writtenBack >= WriteBackRun)
                {
                    FileWriteBack.Start(_handle, writtenBack, wholePages - writtenBack);
                    writtenBack = wholePages;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The second loop done with a pooled chunk hands its buffer back for the next read.
    private void Release(Chunk chunk)
    {
        if (Interlocked.Decrement(ref chunk.Users) == 0 && chunk.Buffer is { } buffer)
        {
            _free.Writer.TryWrite(buffer);
        }
    }

    private sealed class Chunk(ReadOnlyMemory<byte> bytes, long offset, byte[]? buffer)
    {
        public int Users = 2;

        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public long Offset { get; } = offset;

        public byte[]? Buffer { get; } = buffer;
    }
}
