using System.Runtime.InteropServices;

namespace GenCluster.Benchmarks.Storage;

/// <summary>
/// Drops a file's pages from the page cache (<c>posix_fadvise(POSIX_FADV_DONTNEED)</c>, allowed unprivileged), so the
/// next read comes from the disk: a cold read, like a resume on another node after a node was lost.
/// </summary>
internal static partial class PageCache
{
    private const int DontNeed = 4;

    /// <summary>Evicts the clean pages of <paramref name="path"/> (written pages must have been flushed first).</summary>
    public static void Evict(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            var error = FAdvise((int)file.DangerousGetHandle(), 0, 0, DontNeed);
            if (error != 0)
            {
                throw new IOException($"posix_fadvise(DONTNEED) of '{path}' failed with error {error}");
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    // Returns the error number itself rather than setting errno.
    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FAdvise(int fd, long offset, long length, int advice);
}
