using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenCluster.Transport;

/// <summary>
/// What tells two peers that they can share memory: a key naming this machine's boot, IPC namespace and user, and the
/// directory (a tmpfs) segments live in. Two peers with equal keys try; the segment's token then proves it really is
/// the same memory (a container with its own <c>/dev/shm</c> cannot open the other's file and declines).
/// </summary>
internal static class SharedMemoryHost
{
    /// <summary>Where segments are created: the tmpfs every Linux system mounts for POSIX shared memory.</summary>
    public const string Directory = "/dev/shm";

    /// <summary>Every segment file's name starts with this.</summary>
    public const string FilePrefix = "gencluster-";

    /// <summary>Smallest segment: a 64-byte header and one block of 64 KiB with its 64-byte block header.</summary>
    public const long MinimumSegmentSize = 64 * 1024 + 2 * 64;

    /// <summary>Largest segment: 4 GiB.</summary>
    public const long MaximumSegmentSize = 4L << 30;

    private static readonly Lazy<byte[]?> LazyKey = new(ComputeKey);

    private static readonly Lazy<string> LazyOwnPrefix = new(() =>
    {
        // Containers may share /dev/shm and the IPC namespace but not process ids: a sweep must only judge files whose
        // pid it can look up, those of its own pid namespace.
        var target = OperatingSystem.IsLinux() ? new FileInfo("/proc/self/ns/pid").LinkTarget : null;
        var digits = target is null ? "0" : new string(target.Where(char.IsAsciiDigit).ToArray());
        return $"{FilePrefix}{(digits.Length == 0 ? "0" : digits)}-";
    });

    /// <summary>
    /// The start of the names of segments this process creates: <see cref="FilePrefix"/>, the pid namespace, a dash;
    /// then the process id, a dash, and a random part.
    /// </summary>
    public static string OwnPrefix => LazyOwnPrefix.Value;

    /// <summary>This process's host key, or null when shared memory is not available here (not Linux, no tmpfs).</summary>
    public static byte[]? Key => LazyKey.Value;

    /// <summary>Whether a peer's advertised key names this host.</summary>
    /// <param name="peerKey">The key the peer sent in the handshake; null when it sent none.</param>
    public static bool IsThisHost(byte[]? peerKey) => peerKey is not null && Key is { } key && CryptographicOperations.FixedTimeEquals(key, peerKey);

    /// <summary>
    /// Deletes segment files left behind by processes that no longer exist (a silo killed between creating a segment
    /// and its peer opening it); best effort, never throws.
    /// </summary>
    public static void DeleteOrphans()
    {
        try
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory, OwnPrefix + "*"))
            {
                var name = Path.GetFileName(path.AsSpan())[OwnPrefix.Length..];
                int dash = name.IndexOf('-');
                if (dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !System.IO.Directory.Exists($"/proc/{pid}"))
                {
                    File.Delete(path);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process may be deleting the same files; what is left is tried again next time.
        }
    }

    private static byte[]? ComputeKey()
    {
        if (!OperatingSystem.IsLinux() || !System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var ipc = new FileInfo("/proc/self/ns/ipc").LinkTarget ?? "";
            var user = Environment.UserName;
            return SHA256.HashData(Encoding.UTF8.GetBytes($"{boot}|{ipc}|{user}|{Directory}"))[..16];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
