using System.Security.Cryptography;
using GenCluster.Storage.FileSystem;
using GenCluster.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Tests.FileSystem;

/// <summary>
/// The filesystem store's pipelined write (hashing and writing on two threads, pooled buffers for streams, slices of
/// the caller's memory otherwise): exact hashes at chunk boundaries, and nothing left behind by a failure or a
/// cancellation — neither an object nor a staging file.
/// </summary>
public sealed class PipelinedWriteTests : IDisposable
{
    // Small chunks, so a few hundred KiB cross many chunk boundaries and recycle every pooled buffer many times.
    private const int Chunk = 4096;

    private readonly TemporaryDirectory _root = new("pipelined-write");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((Chunk * 37) + 123)]
    public async Task Sizes_off_and_on_chunk_boundaries_hash_and_read_back_exactly(int length)
    {
        var store = CreateStore();
        var bytes = GeneratedStream.Bytes(length, seed: (ulong)length + 1);
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var fromStream = await store.PutAsync("obj/stream", new GeneratedStream(length, (ulong)length + 1), WriteCondition.None, CancellationToken.None);
        var fromMemory = await store.PutAsync("obj/memory", (ReadOnlyMemory<byte>)bytes, WriteCondition.None, CancellationToken.None);

        fromStream.Sha256.Should().Be(expected);
        fromStream.Length.Should().Be(length);
        fromMemory.Sha256.Should().Be(expected);
        fromMemory.Length.Should().Be(length);
        (await ReadAllAsync(store, "obj/stream")).Should().Equal(bytes);
        (await ReadAllAsync(store, "obj/memory")).Should().Equal(bytes);
        StagingFiles(store).Should().BeEmpty();
    }

    [Fact]
    public async Task A_slice_of_memory_is_written_without_the_bytes_around_it()
    {
        var store = CreateStore();
        var whole = GeneratedStream.Bytes((Chunk * 10) + 999, seed: 21);
        var slice = whole.AsMemory(777, (Chunk * 8) + 5);

        var written = await store.PutAsync("obj/slice", (ReadOnlyMemory<byte>)slice, WriteCondition.IfNoneExists, CancellationToken.None);

        written.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(slice.Span)));
        (await ReadAllAsync(store, "obj/slice")).Should().Equal(slice.ToArray());
    }

    [Fact]
    public async Task A_stream_failing_midway_surfaces_its_error_and_leaves_no_object_and_no_staging_file()
    {
        var store = CreateStore();
        var old = await store.PutAsync("obj/x", (ReadOnlyMemory<byte>)new byte[] { 1, 2, 3 }, WriteCondition.None, CancellationToken.None);
        var failing = new GeneratedStream(4L << 20, seed: 3, onRead: position =>
        {
            if (position >= 1L << 20)
            {
                throw new IOException("the source broke");
            }
        });

        var write = () => store.PutAsync("obj/x", failing, WriteCondition.None, CancellationToken.None);
        var create = () => store.PutAsync("obj/y", new GeneratedStream(4L << 20, seed: 4, onRead: position =>
        {
            if (position >= 2L << 20)
            {
                throw new IOException("the source broke again");
            }
        }), WriteCondition.IfNoneExists, CancellationToken.None);

        (await write.Should().ThrowAsync<IOException>()).Which.Message.Should().Be("the source broke");
        (await create.Should().ThrowAsync<IOException>()).Which.Message.Should().Be("the source broke again");
        (await store.GetPropertiesAsync("obj/x", CancellationToken.None))!.ETag.Should().Be(old.ETag, "the failed overwrite changed nothing");
        (await ReadAllAsync(store, "obj/x")).Should().Equal(1, 2, 3);
        (await store.GetPropertiesAsync("obj/y", CancellationToken.None)).Should().BeNull();
        StagingFiles(store).Should().BeEmpty();
    }

    [Fact]
    public async Task A_write_failing_in_the_writing_loop_surfaces_its_error_and_leaves_nothing()
    {
        var store = CreateStore();
        var bytes = GeneratedStream.Bytes(1 << 20, seed: 5);
        var progress = new ThrowingProgress(after: 64 * 1024);

        // Progress is reported by the writing loop after each chunk: its exception stands for a failed write there.
        var write = () => store.PutAsync("obj/z", (ReadOnlyMemory<byte>)bytes, WriteCondition.None, CancellationToken.None, progress);

        (await write.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be("progress sink broke");
        (await store.GetPropertiesAsync("obj/z", CancellationToken.None)).Should().BeNull();
        StagingFiles(store).Should().BeEmpty();
    }

    [Fact]
    public async Task A_write_from_memory_cancelled_midway_leaves_no_object_and_no_staging_file()
    {
        var store = CreateStore();
        var bytes = GeneratedStream.Bytes(4 << 20, seed: 6);
        using var cancel = new CancellationTokenSource();
        long last = 0;
        var progress = new CallbackProgress(written =>
        {
            last = written;
            if (written >= 1 << 20)
            {
                cancel.Cancel();
            }
        });

        var write = () => store.PutAsync("obj/c", (ReadOnlyMemory<byte>)bytes, WriteCondition.None, cancel.Token, progress);
        var already = () => store.PutAsync("obj/d", (ReadOnlyMemory<byte>)bytes, WriteCondition.None, new CancellationToken(canceled: true));

        await write.Should().ThrowAsync<OperationCanceledException>();
        last.Should().BeLessThan(bytes.Length, "the write stops at the cancellation rather than writing everything first");
        await already.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetPropertiesAsync("obj/c", CancellationToken.None)).Should().BeNull();
        (await store.GetPropertiesAsync("obj/d", CancellationToken.None)).Should().BeNull();
        StagingFiles(store).Should().BeEmpty();
    }

    public void Dispose() => _root.Dispose();

    private FileSystemObjectStore CreateStore() => new(
        Options.Create(new FileSystemObjectStoreOptions { RootDirectory = _root.File(Guid.NewGuid().ToString("N")), BufferSize = Chunk }),
        NullLogger<FileSystemObjectStore>.Instance,
        TimeProvider.System);

    private static string[] StagingFiles(FileSystemObjectStore store) =>
        Directory.GetFiles(Path.Combine(store.RootDirectory, "#staging"));

    private static async Task<byte[]> ReadAllAsync(IObjectStore store, string name)
    {
        await using var reader = await store.OpenReadAsync(name, CancellationToken.None)
            ?? throw new InvalidOperationException($"object {name} does not exist");
        var copy = new MemoryStream();
        await reader.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed class CallbackProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private sealed class ThrowingProgress(long after) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= after)
            {
                throw new InvalidOperationException("progress sink broke");
            }
        }
    }
}
