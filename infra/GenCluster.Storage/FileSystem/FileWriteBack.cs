using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GenCluster.Storage.FileSystem;

/// <summary>
/// Starts the write-out of a file's dirty pages without waiting for it (Linux <c>sync_file_range</c> with
/// <c>SYNC_FILE_RANGE_WRITE</c>), so the disk works while the rest of an object is still being written and the final
/// <c>fsync</c> only waits for the tail. It is a hint: durability still comes from that <c>fsync</c>.
/// </summary>
internal static partial class FileWriteBack
{
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Starts writing bytes [<paramref name="offset"/>, +<paramref name="length"/>) to the disk; a no-op off Linux.</summary>
    /// <remarks>A failure is ignored: the <c>fsync</c> that follows writes the same pages and reports real errors.</remarks>
    public static void Start(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = SyncFileRange((int)handle.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
