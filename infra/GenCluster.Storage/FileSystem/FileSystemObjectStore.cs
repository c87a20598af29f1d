using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using GenCluster.Storage.Integrity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace GenCluster.Storage.FileSystem;

/// <summary>
/// Objects as files under one root folder (the embedded default store). Each file holds an
/// <see cref="ObjectFileHeader"/> (length, SHA-256, ETag) and then the bytes. A write streams into a staging file
/// while hashing, flushes it to the disk, and publishes it with one rename under the object's lock
/// (<see cref="ObjectFileLock"/>, which other processes respect too), after checking the write condition there:
/// readers see the old object or the new one, never a mix, and of racing conditional writers exactly one wins.
/// </summary>
/// <remarks>
/// Layout: <c>ROOT/a/b/c</c> holds object <c>a/b/c</c>; <c>ROOT/#staging</c> holds writes in progress and
/// <c>ROOT/#locks</c> the lock files ('#' is never part of a name, so neither can collide with an object).
/// </remarks>
public sealed partial class FileSystemObjectStore : IObjectStore
{
    private const string StagingFolder = "#staging";
    private const string LocksFolder = "#locks";

    // Buffers in flight for a write from a stream: one being read into, one hashed, one written, one spare.
    private const int StreamBuffers = 4;

    private readonly FileSystemObjectStoreOptions _options;
    private readonly ILogger<FileSystemObjectStore> _logger;
    private readonly TimeProvider _time;
    private readonly string _staging;
    private readonly string _locks;

    /// <summary>A store in <paramref name="rootDirectory"/> with default settings.</summary>
    public FileSystemObjectStore(string rootDirectory, ILogger<FileSystemObjectStore>? logger = null, TimeProvider? timeProvider = null)
        : this(
            Options.Create(new FileSystemObjectStoreOptions { RootDirectory = rootDirectory }),
            logger ?? NullLogger<FileSystemObjectStore>.Instance,
            timeProvider ?? TimeProvider.System)
    {
    }

    /// <summary>A store configured by <see cref="FileSystemObjectStoreOptions"/> (for dependency injection).</summary>
    public FileSystemObjectStore(IOptions<FileSystemObjectStoreOptions> options, ILogger<FileSystemObjectStore> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.RootDirectory))
        {
            throw new ArgumentException("FileSystemObjectStoreOptions.RootDirectory must name the store's folder", nameof(options));
        }

        if (_options.BufferSize < 4096)
        {
            throw new ArgumentException("FileSystemObjectStoreOptions.BufferSize must be at least 4096 bytes", nameof(options));
        }

        _logger = logger;
        _time = timeProvider;
        RootDirectory = Path.GetFullPath(_options.RootDirectory);
        _staging = Path.Combine(RootDirectory, StagingFolder);
        _locks = Path.Combine(RootDirectory, LocksFolder);
        Directory.CreateDirectory(_staging);
        Directory.CreateDirectory(_locks);
    }

    /// <summary>The root folder (full path).</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public string Location => RootDirectory;

    /// <summary>The file that holds object <paramref name="name"/> (whether or not it exists).</summary>
    public string PathOf(string name)
    {
        ObjectNames.Validate(name);
        return Path.Combine(RootDirectory, name.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <inheritdoc />
    public Task<ObjectProperties> PutAsync(string name, Stream content, WriteCondition condition, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PutCoreAsync(
            name,
            condition,
            handle => StagingFileWriter.WriteAsync(
                handle, ObjectFileHeader.Size, content, _options.BufferSize, StreamBuffers, _options.FlushToDisk, progress, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The bytes are hashed and written where they are, without a copy.</remarks>
    public Task<ObjectProperties> PutAsync(string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken, IProgress<long>? progress = null) =>
        PutCoreAsync(
            name,
            condition,
            handle => StagingFileWriter.WriteAsync(handle, ObjectFileHeader.Size, content, _options.BufferSize, _options.FlushToDisk, progress, cancellationToken),
            cancellationToken);

    /// <inheritdoc />
    public Task<ObjectReader?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        FileStream file;
        try
        {
            // No FileStream buffer: reads go straight into the caller's buffer and are hashed there.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<ObjectReader?>(null);
        }

        try
        {
            Span<byte> headerBytes = stackalloc byte[ObjectFileHeader.Size];
            var read = file.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
            if (!ObjectFileHeader.TryRead(headerBytes[..read], out var header))
            {
                throw new ObjectCorruptedException(name, $"'{path}' does not start with an object header");
            }

            // The file's size is known up front, so a cut or grown file is refused before a byte is returned.
            var stored = file.Length - ObjectFileHeader.Size;
            if (stored != header.Length)
            {
                throw new ObjectCorruptedException(name, stored < header.Length
                    ? $"truncated: {stored} of {header.Length} bytes"
                    : $"longer than its recorded {header.Length} bytes ({stored})");
            }

            var content = new VerifyingReadStream(file, name, header.Length, header.Sha256);
            return Task.FromResult<ObjectReader?>(new ObjectReader(ToProperties(name, header), content));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<ObjectProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        var header = TryReadHeader(path, name);
        return Task.FromResult(header is { } h ? ToProperties(name, h) : null);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectProperties> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectNames.ValidatePrefix(prefix);
        // Only the folder the prefix's complete segments name can hold matches; start there.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? RootDirectory : Path.Combine(RootDirectory, prefix[..slash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RootDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(StagingFolder + "/", StringComparison.Ordinal) || relative.StartsWith(LocksFolder + "/", StringComparison.Ordinal))
            {
                continue;
            }

            if (relative.StartsWith(prefix, StringComparison.Ordinal))
            {
                names.Add(relative);
            }
        }

        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // An object deleted since the folder was read is simply not listed.
            if (TryReadHeader(Path.Combine(RootDirectory, name.Replace('/', Path.DirectorySeparatorChar)), name) is { } header)
            {
                yield return ToProperties(name, header);
            }
        }

        // The file system answers synchronously; the interface is asynchronous for remote stores.
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, string? ifMatch, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        await using (await LockAsync(name, cancellationToken).ConfigureAwait(false))
        {
            var (exists, etag) = StoredState(path, name);
            if (!exists)
            {
                return false;
            }

            if (ifMatch is not null && etag != ifMatch)
            {
                throw new ObjectConditionFailedException(name, WriteCondition.IfMatches(ifMatch), etag);
            }

            File.Delete(path);
            if (_options.FlushToDisk)
            {
                DirectorySync.Flush(Path.GetDirectoryName(path)!);
            }
        }

        LogDeleted(_logger, name);
        return true;
    }

    private async Task<ObjectProperties> PutCoreAsync(
        string name, WriteCondition condition, Func<SafeFileHandle, Task<(long Length, byte[] Sha256)>> writeContent, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var started = _time.GetTimestamp();
        var staging = Path.Combine(_staging, $"{Guid.NewGuid():N}.tmp");
        try
        {
            ObjectFileHeader header;
            using (var handle = File.OpenHandle(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var (length, sha256) = await writeContent(handle).ConfigureAwait(false);
                header = new ObjectFileHeader(length, sha256, ObjectFileHeader.NewETag(), _time.GetUtcNow());
                var headerBytes = new byte[ObjectFileHeader.Size];
                header.Write(headerBytes);
                RandomAccess.Write(handle, headerBytes, 0);
                if (_options.FlushToDisk)
                {
                    RandomAccess.FlushToDisk(handle);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await using (await LockAsync(name, cancellationToken).ConfigureAwait(false))
            {
                // Past this check nothing can be cancelled: the condition holds and the rename makes the object visible.
                EnsureCondition(name, condition, StoredState(path, name));
                var folder = Path.GetDirectoryName(path)!;
                Directory.CreateDirectory(folder);
                File.Move(staging, path, overwrite: true);
                if (_options.FlushToDisk)
                {
                    DirectorySync.Flush(folder);
                }
            }

            var properties = ToProperties(name, header);
            LogWritten(_logger, name, header.Length, _time.GetElapsedTime(started).TotalMilliseconds);
            return properties;
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private async Task<FileStream> LockAsync(string name, CancellationToken ct)
    {
        // Lock files are named by the hash of the object name: flat, short, and never a valid object path.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var started = _time.GetTimestamp();
        var fileLock = await ObjectFileLock.AcquireAsync(Path.Combine(_locks, key + ".lock"), _options.LockTimeout, _options.LockRetryDelay, _time, ct)
            .ConfigureAwait(false);
        var waited = _time.GetElapsedTime(started);
        if (waited > TimeSpan.FromMilliseconds(100))
        {
            LogLockContended(_logger, name, waited.TotalMilliseconds);
        }

        return fileLock;
    }

    private void EnsureCondition(string name, WriteCondition condition, (bool Exists, string? ETag) stored)
    {
        var failed = condition.IfNotExists ? stored.Exists : condition.IfMatch is { } etag && stored.ETag != etag;
        if (failed)
        {
            LogConditionFailed(_logger, name, condition.ToString());
            throw new ObjectConditionFailedException(name, condition, stored.ETag);
        }
    }

    // What a condition is checked against. A file with a damaged header exists but has no ETag: it can be
    // overwritten or deleted unconditionally (that is how it gets repaired), never matched.
    private static (bool Exists, string? ETag) StoredState(string path, string name)
    {
        try
        {
            return TryReadHeader(path, name) is { } header ? (true, header.ETagText) : (false, null);
        }
        catch (ObjectCorruptedException)
        {
            return (true, null);
        }
    }

    private static ObjectFileHeader? TryReadHeader(string path, string name)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> bytes = stackalloc byte[ObjectFileHeader.Size];
            var read = RandomAccess.Read(file, bytes, 0);
            return ObjectFileHeader.TryRead(bytes[..read], out var header)
                ? header
                : throw new ObjectCorruptedException(name, $"'{path}' does not start with an object header");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static ObjectProperties ToProperties(string name, ObjectFileHeader header) =>
        new(name, header.Length, header.ETagText, Sha256Hex.Format(header.Sha256), header.LastModified);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover staging file is harmless; it is never listed.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote object {Name} ({Length} bytes) in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogWritten(ILogger logger, string name, long length, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted object {Name}")]
    private static partial void LogDeleted(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Write of object {Name} refused: the condition '{Condition}' does not hold")]
    private static partial void LogConditionFailed(ILogger logger, string name, string condition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waited {WaitedMilliseconds:0} ms for the lock of object {Name}")]
    private static partial void LogLockContended(ILogger logger, string name, double waitedMilliseconds);
}
