using GenCluster.Runtime.Persistence;
using GenCluster.Testing;

namespace GenCluster.Runtime.Tests.Persistence;

public sealed class FileGrainStorageTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("gencluster-file-storage-tests");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_storages_over_one_directory_see_each_others_writes_and_etags()
    {
        var first = new FileGrainStorage(_directory.Path);
        var second = new FileGrainStorage(_directory.Path);
        var grain = new GrainId("coordinator", "exp-7");

        string etag = await first.WriteAsync(grain, "state", new byte[] { 7 }, null, default);

        var (data, stored) = await second.ReadAsync(grain, "state", default);
        data.Should().Equal(7);
        stored.Should().Be(etag);
        await second.WriteAsync(grain, "state", new byte[] { 8 }, etag, default);
        await first.Invoking(s => s.WriteAsync(grain, "state", new byte[] { 9 }, etag, default)).Should().ThrowAsync<InconsistentStateException>();
    }

    [Fact]
    public async Task Keys_become_safe_file_names_and_very_long_keys_still_fit()
    {
        var storage = new FileGrainStorage(_directory.Path);
        var odd = new GrainId("worker", "../../etc/passwd");
        var longKey = new GrainId("worker", new string('k', 1000));

        await storage.WriteAsync(odd, "state", new byte[] { 1 }, null, default);
        await storage.WriteAsync(longKey, "state", new byte[] { 2 }, null, default);

        var files = Directory.EnumerateFiles(_directory.Path, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".state", StringComparison.Ordinal)).ToList();
        files.Should().HaveCount(2).And.OnlyContain(f => f.StartsWith(_directory.Path, StringComparison.Ordinal));
        files.Should().OnlyContain(f => Path.GetFileName(f).Length <= 255);
        (await storage.ReadAsync(odd, "state", default)).Data.Should().Equal(1);
        (await storage.ReadAsync(longKey, "state", default)).Data.Should().Equal(2);
    }

    [Fact]
    public async Task A_writer_waits_for_the_lock_and_gives_up_after_the_timeout()
    {
        var options = new FileGrainStorageOptions { RootDirectory = _directory.Path, LockTimeout = TimeSpan.FromMilliseconds(300) };
        var storage = new FileGrainStorage(options);
        var grain = new GrainId("locked", "one");
        await storage.WriteAsync(grain, "state", new byte[] { 1 }, null, default);
        string path = storage.PathOf(grain, "state");

        using (new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var write = () => storage.WriteAsync(grain, "state", new byte[] { 2 }, "whatever", default);
            await write.Should().ThrowAsync<TimeoutException>();
        }

        (await storage.ReadAsync(grain, "state", default)).Data.Should().Equal(1);
    }

    [Fact]
    public async Task A_corrupt_file_is_reported_not_misread()
    {
        var storage = new FileGrainStorage(_directory.Path);
        var grain = new GrainId("corrupt", "one");
        await storage.WriteAsync(grain, "state", new byte[] { 1 }, null, default);
        await File.WriteAllBytesAsync(storage.PathOf(grain, "state"), [0x00, 0x01]);

        await storage.Invoking(s => s.ReadAsync(grain, "state", default)).Should().ThrowAsync<InvalidDataException>();
    }
}
