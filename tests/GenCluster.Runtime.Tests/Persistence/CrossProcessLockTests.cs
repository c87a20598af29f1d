using GenCluster.Runtime.Persistence;
using GenCluster.Testing;

namespace GenCluster.Runtime.Tests.Persistence;

/// <summary>The file storage's write lock is an OS lock, so another process holding it keeps writers out.</summary>
public sealed class CrossProcessLockTests : IDisposable
{
    // Takes an exclusive flock on argv[1], creates argv[2] to say so, holds the lock for argv[3] seconds.
    private const string HoldLock = """
        import fcntl, sys, time
        with open(sys.argv[1], "a+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            open(sys.argv[2], "w").close()
            time.sleep(float(sys.argv[3]))
        """;

    private readonly TemporaryDirectory _directory = new("gencluster-lock-tests");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_writer_waits_while_another_process_holds_the_lock_and_proceeds_after()
    {
        var storage = new FileGrainStorage(new FileGrainStorageOptions { RootDirectory = _directory.Path, LockTimeout = TimeSpan.FromMilliseconds(400) });
        var grain = new GrainId("coordinator", "exp-1");
        string etag = await storage.WriteAsync(grain, "state", new byte[] { 1 }, null, default);
        string marker = _directory.File("locked");

        var peer = Task.Run(() => PythonPeer.Run("-c", [HoldLock, storage.PathOf(grain, "state") + ".lock", marker, "2"], TimeSpan.FromSeconds(20)));
        for (int i = 0; i < 200 && !File.Exists(marker) && !peer.IsCompleted; i++)
        {
            await Task.Delay(25);
        }

        File.Exists(marker).Should().BeTrue("the peer took the lock");
        await storage.Invoking(s => s.WriteAsync(grain, "state", new byte[] { 2 }, etag, default)).Should().ThrowAsync<TimeoutException>();

        await peer;
        string next = await storage.WriteAsync(grain, "state", new byte[] { 3 }, etag, default);
        var (data, stored) = await storage.ReadAsync(grain, "state", default);
        data.Should().Equal(3);
        stored.Should().Be(next);
    }
}
