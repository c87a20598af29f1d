using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenCluster.Runtime.Persistence;

/// <summary>
/// Grain state as files: one file per grain state under <c>root/grainType/</c>, safe to share between processes
/// on one machine. A file holds a header (magic, ETag) and the serialized state. The ETag is a fresh random token
/// per write, so a record deleted and written again never matches a stale reader's ETag. Writes and deletes take an
/// exclusive lock file (an OS file lock, released even if the process dies), compare the stored ETag, write a
/// temporary file, flush it to disk and rename it over the old one, so readers see the old or the new state,
/// never a torn one.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private static readonly byte[] s_magic = "GCS1"u8.ToArray();
    private const int MaxFileNameLength = 200;

    private readonly FileGrainStorageOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a storage over <see cref="FileGrainStorageOptions.RootDirectory"/>.</summary>
    public FileGrainStorage(FileGrainStorageOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RootDirectory);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates a storage over <paramref name="rootDirectory"/>.</summary>
    public FileGrainStorage(string rootDirectory)
        : this(new FileGrainStorageOptions { RootDirectory = rootDirectory })
    {
    }

    /// <inheritdoc />
    public async Task<(byte[]? Data, string? Etag)> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var file = await ReadFileAsync(PathOf(grainId, stateName), cancellationToken).ConfigureAwait(false);
        return file is null ? (null, null) : (file.Value.Data, file.Value.Etag);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken)
    {
        string path = PathOf(grainId, stateName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writeLock = await AcquireLockAsync(path, cancellationToken).ConfigureAwait(false);
        await CheckEtagAsync(path, grainId, stateName, expectedEtag, cancellationToken).ConfigureAwait(false);

        string etag = Guid.NewGuid().ToString("N");
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(EncodeHeader(etag), cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return etag;
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        string path = PathOf(grainId, stateName);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            await CheckEtagAsync(path, grainId, stateName, expectedEtag, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var writeLock = await AcquireLockAsync(path, cancellationToken).ConfigureAwait(false);
        await CheckEtagAsync(path, grainId, stateName, expectedEtag, cancellationToken).ConfigureAwait(false);
        File.Delete(path);
    }

    /// <summary>The file holding <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    internal string PathOf(GrainId grainId, string stateName) =>
        Path.Combine(_options.RootDirectory, FileNameOf(grainId.Type), FileNameOf($"{Escape(grainId.Key)}.{Escape(stateName)}", escaped: true) + ".state");

    private async Task CheckEtagAsync(string path, GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        var stored = (await ReadFileAsync(path, cancellationToken).ConfigureAwait(false))?.Etag;
        if (!string.Equals(stored, expectedEtag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"state '{stateName}' of {grainId} was changed by someone else (stored ETag {stored ?? "none"}, expected {expectedEtag ?? "none"})",
                stored,
                expectedEtag);
        }
    }

    private static async Task<(byte[] Data, string Etag)?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        int headerSize = s_magic.Length + sizeof(ushort);
        if (content.Length < headerSize || !content.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"{path} is not a grain state file");
        }

        int etagLength = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(s_magic.Length));
        if (content.Length < headerSize + etagLength)
        {
            throw new InvalidDataException($"{path} is truncated");
        }

        string etag = Encoding.ASCII.GetString(content, headerSize, etagLength);
        return (content[(headerSize + etagLength)..], etag);
    }

    private static byte[] EncodeHeader(string etag)
    {
        var header = new byte[s_magic.Length + sizeof(ushort) + etag.Length];
        s_magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(s_magic.Length), (ushort)etag.Length);
        Encoding.ASCII.GetBytes(etag, header.AsSpan(s_magic.Length + sizeof(ushort)));
        return header;
    }

    /// <summary>
    /// Takes the exclusive lock of <paramref name="path"/>: an open lock file with <see cref="FileShare.None"/>, which
    /// .NET backs with an advisory OS lock on Unix. The lock file is never deleted (deleting would let two writers
    /// lock two different files).
    /// </summary>
    private async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + _options.LockTimeout;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, 2 << Math.Min(attempt, 4))), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"could not lock {path} within {_options.LockTimeout.TotalSeconds:0.#} s; another writer holds it", e);
            }
        }
    }

    /// <summary>Escapes characters outside <c>[A-Za-z0-9_-]</c> as <c>%XX</c> (UTF-8), so any key is a safe, unique file name.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '_' or '-'))
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            int length = rune.EncodeToUtf8(utf8);
            foreach (byte b in utf8[..length])
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    /// <summary>A file name for <paramref name="name"/>; too long ones keep a prefix plus a hash ('~' never appears otherwise).</summary>
    private static string FileNameOf(string name, bool escaped = false)
    {
        string safe = escaped ? name : Escape(name);
        if (safe.Length <= MaxFileNameLength)
        {
            return safe;
        }

        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(safe)));
        return $"{safe[..100]}~{hash}";
    }
}
