using GenCluster.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Membership;

/// <summary>
/// A membership table in one JSON file, shared by the silo processes of one machine (local multi-process
/// clusters, tests). Every write is a read-modify-write under an exclusive lock on a <c>.lock</c> file next to
/// the table (an OS file lock, so it also excludes other processes), and replaces the table by writing a
/// temporary file and renaming it over the old one: readers never see a half-written table, and need no lock.
/// ETags are fresh GUIDs.
/// </summary>
public sealed partial class FileMembershipTable : SingleDocumentMembershipTable
{
    private readonly FileMembershipTableOptions _options;
    private readonly ILogger<FileMembershipTable> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _lockPath;

    // Writers of this instance queue here, so only one of them at a time polls the file lock.
    private readonly SemaphoreSlim _writerGate = new(1, 1);

    /// <summary>A table stored at <paramref name="path"/> with default lock settings.</summary>
    /// <param name="path">The JSON file; created on the first write, its folder too.</param>
    /// <param name="logger">Where lock contention is logged; none when null.</param>
    /// <param name="timeProvider">Measures lock waits; the system clock when null. Lock waits are real
    /// waits for another process, so a provider whose clock does not move would wait forever.</param>
    public FileMembershipTable(string path, ILogger<FileMembershipTable>? logger = null, TimeProvider? timeProvider = null)
        : this(
            Options.Create(new FileMembershipTableOptions { Path = path }),
            logger ?? NullLogger<FileMembershipTable>.Instance,
            timeProvider ?? TimeProvider.System)
    {
    }

    /// <summary>A table configured by <see cref="FileMembershipTableOptions"/> (for dependency injection).</summary>
    public FileMembershipTable(IOptions<FileMembershipTableOptions> options, ILogger<FileMembershipTable> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.Path))
        {
            throw new ArgumentException("FileMembershipTableOptions.Path must name the table's file", nameof(options));
        }

        FilePath = System.IO.Path.GetFullPath(_options.Path);
        _lockPath = FilePath + ".lock";
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>The table's JSON file (full path).</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public override Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct) => ReadFileAsync(ct);

    /// <inheritdoc />
    protected override string Location => FilePath;

    /// <summary>
    /// Under the lock: reads the table, asks <paramref name="change"/> for the next one (null: the
    /// compare-and-swap failed, nothing is written) and writes it.
    /// </summary>
    protected override async Task<bool> ChangeAsync(Func<MembershipTableSnapshot, MembershipTableSnapshot?> change, CancellationToken ct)
    {
        await _writerGate.WaitAsync(ct);
        try
        {
            await using var fileLock = await AcquireFileLockAsync(ct);
            var next = change(await ReadFileAsync(ct));
            if (next is null)
            {
                return false;
            }

            await WriteFileAsync(next, ct);
            return true;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    private async Task<FileStream> AcquireFileLockAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        var started = _timeProvider.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // FileShare.None takes an exclusive OS lock (flock on Linux): a second opener, in this process
                // or another, fails with an IOException until the holder closes its handle.
                var fileLock = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                if (attempt > 1)
                {
                    LogLockContended(_logger, FilePath, attempt, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                }

                return fileLock;
            }
            catch (IOException e) when (e is not DirectoryNotFoundException and not PathTooLongException)
            {
                var waited = _timeProvider.GetElapsedTime(started);
                if (waited >= _options.LockTimeout)
                {
                    throw new TimeoutException(
                        $"could not lock the membership table '{FilePath}' within {_options.LockTimeout.TotalSeconds:0.###} s: "
                        + $"another process holds '{_lockPath}' ({attempt} attempts; last error: {e.Message})",
                        e);
                }

                await Task.Delay(_options.LockRetryDelay, _timeProvider, ct);
            }
        }
    }

    private async Task<MembershipTableSnapshot> ReadFileAsync(CancellationToken ct)
    {
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(FilePath, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No silo has written yet: an empty table at version 0.
            return EmptyTable;
        }

        return MembershipTableFileFormat.Deserialize(json, FilePath);
    }

    private async Task WriteFileAsync(MembershipTableSnapshot table, CancellationToken ct)
    {
        var json = MembershipTableFileFormat.Serialize(table);
        var temporary = $"{FilePath}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, useAsync: true))
            {
                await stream.WriteAsync(json, ct);

                // The rename below must never publish a file whose bytes are not yet on disk.
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces the old file atomically: a concurrent reader sees the old table or the new one.
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless, the table itself is intact.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Took the lock of membership table {Path} after {Attempts} attempts ({WaitedMilliseconds:0} ms)")]
    private static partial void LogLockContended(ILogger logger, string path, int attempts, double waitedMilliseconds);
}
