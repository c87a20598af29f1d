namespace GenCluster.Storage.FileSystem;

/// <summary>
/// The exclusive lock every change of one object runs under: an OS file lock (flock on Linux, through
/// <see cref="FileShare.None"/>) on a lock file of its own, so writers in other processes sharing the folder are
/// excluded too. Lock files are never deleted: deleting one while another writer opens it would split the lock.
/// </summary>
internal static class ObjectFileLock
{
    /// <summary>Takes the lock at <paramref name="path"/>, retrying while another writer holds it.</summary>
    /// <exception cref="TimeoutException">Not taken within <paramref name="timeout"/>.</exception>
    public static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, TimeSpan retryDelay, TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (time.GetElapsedTime(started) >= timeout)
                {
                    throw new TimeoutException($"could not lock '{path}' within {timeout.TotalSeconds:0.###} s: another writer holds it");
                }

                await Task.Delay(retryDelay, time, ct).ConfigureAwait(false);
            }
        }
    }
}
