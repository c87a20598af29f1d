using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace GenCluster.Transport;

/// <summary>
/// A file in <see cref="SharedMemoryHost.Directory"/> mapped into this process: one sender's frames to one peer. The
/// sender creates it with all its pages reserved up front (so touching one can never fault for lack of room), and the
/// receiver opens it by name, checks the token the sender wrote into it, and deletes the name: from then on the memory
/// lives exactly as long as the two mappings.
/// </summary>
/// <remarks>
/// Layout: a 64-byte header (<c>magic</c>, the 16-byte token, the size), then blocks, each a 64-byte block header
/// (its state) followed by one frame's payload; see <see cref="SegmentAllocator"/>.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class SharedMemorySegment : IDisposable
{
    /// <summary>Bytes before the first block; blocks and their payloads are aligned to this too.</summary>
    public const int HeaderSize = 64;

    /// <summary>Smallest segment: its header and one block of 64 KiB.</summary>
    public const long MinimumSize = SharedMemoryHost.MinimumSegmentSize;

    /// <summary>Largest segment a peer may offer (and this side may create).</summary>
    public const long MaximumSize = SharedMemoryHost.MaximumSegmentSize;

    private const ulong Magic = 0x31304D4853434721; // "!GCSHM01", little-endian
    private const int TokenSize = 16;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private string? _path;
    private byte* _base;
    private int _disposed;

    private SharedMemorySegment(MemoryMappedFile file, MemoryMappedViewAccessor view, string? path, string name, long size, byte[] token)
    {
        _file = file;
        _view = view;
        _path = path;
        Name = name;
        Size = size;
        Token = token;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>The file's name in <see cref="SharedMemoryHost.Directory"/>.</summary>
    public string Name { get; }

    /// <summary>Bytes mapped, header included.</summary>
    public long Size { get; }

    /// <summary>The random token the creator wrote into the header.</summary>
    public byte[] Token { get; }

    /// <summary>The first mapped byte.</summary>
    public byte* Base => _base != null ? _base : throw new ObjectDisposedException(nameof(SharedMemorySegment));

    /// <summary>Creates a segment of <paramref name="size"/> bytes, every page reserved.</summary>
    /// <exception cref="IOException">The directory is full (the tmpfs limit) or cannot be written.</exception>
    public static SharedMemorySegment Create(long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaximumSize);
        SharedMemoryHost.DeleteOrphans();
        var name = $"{SharedMemoryHost.OwnPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        var path = Path.Combine(SharedMemoryHost.Directory, name);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            // fallocate: on tmpfs, a page that cannot be had when first touched kills the process with SIGBUS.
            PreallocationSize = size,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            var file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var view = file.CreateViewAccessor(0, size);
            var token = RandomNumberGenerator.GetBytes(TokenSize);
            var segment = new SharedMemorySegment(file, view, path, name, size, token);
            var header = new Span<byte>(segment._base, HeaderSize);
            BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
            token.CopyTo(header[8..]);
            BinaryPrimitives.WriteInt64LittleEndian(header[(8 + TokenSize)..], size);
            return segment;
        }
        catch
        {
            stream.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>
    /// Opens the segment a peer created, checks its size and token, and deletes its name (this side's mapping and the
    /// creator's keep the memory).
    /// </summary>
    /// <exception cref="IOException">No such file here, or it is not the peer's segment (size or token differ).</exception>
    public static SharedMemorySegment Open(string name, long size, ReadOnlySpan<byte> token)
    {
        if (!IsValidName(name))
        {
            throw new IOException($"'{name}' is not a segment name");
        }

        if (size < MinimumSize || size > MaximumSize)
        {
            throw new IOException($"a segment of {size} bytes is outside {MinimumSize}..{MaximumSize}");
        }

        var path = Path.Combine(SharedMemoryHost.Directory, name);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || (info.Exists && (info.Attributes & (FileAttributes.Directory | FileAttributes.Device | FileAttributes.ReparsePoint)) != 0))
        {
            throw new IOException($"'{name}' is not a regular file");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        MemoryMappedFile? file = null;
        try
        {
            if (!stream.CanSeek)
            {
                throw new IOException($"'{name}' is not a regular file");
            }

            if (stream.Length != size)
            {
                throw new IOException($"segment '{name}' holds {stream.Length} bytes, the peer announced {size}");
            }

            file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var view = file.CreateViewAccessor(0, size);
            var segment = new SharedMemorySegment(file, view, path: null, name, size, token.ToArray());
            var header = new ReadOnlySpan<byte>(segment._base, HeaderSize);
            if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic
                || !CryptographicOperations.FixedTimeEquals(header.Slice(8, TokenSize), token)
                || BinaryPrimitives.ReadInt64LittleEndian(header[(8 + TokenSize)..]) != size)
            {
                segment.Dispose();
                throw new IOException($"segment '{name}' is not the one the peer created (its token differs)");
            }

            TryDelete(path);
            return segment;
        }
        catch
        {
            if (file is null)
            {
                stream.Dispose();
            }
            else
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>Deletes the file's name, if this side created it and it is still there; the mappings stay valid.</summary>
    public void DeleteName()
    {
        if (Interlocked.Exchange(ref _path, null) is { } path)
        {
            TryDelete(path);
        }
    }

    /// <summary>Deletes the name if still there and unmaps the memory; nothing may read or write it afterwards.</summary>
    public void Dispose()
    {
        DeleteName();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    // Names come from the peer: a plain file name of ours, never a path.
    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 128
        && name.StartsWith(SharedMemoryHost.FilePrefix, StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for DeleteOrphans once this process is gone.
        }
    }
}
