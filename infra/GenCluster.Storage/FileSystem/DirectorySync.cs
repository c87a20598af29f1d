using System.Runtime.InteropServices;

namespace GenCluster.Storage.FileSystem;

/// <summary>
/// Flushes a folder's entries to the disk (fsync on the folder), so a renamed-in object survives a power loss.
/// .NET has no API for it: a folder cannot be opened as a file there.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;           // O_RDONLY
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    /// <summary>Flushes <paramref name="directory"/>; a no-op off Linux, where the object file's own flush is all we do.</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly | DirectoryOnly);
        if (fd < 0)
        {
            throw new IOException($"could not open folder '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"could not flush folder '{directory}' (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
