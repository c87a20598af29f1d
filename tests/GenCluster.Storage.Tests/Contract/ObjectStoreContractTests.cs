using System.Security.Cryptography;
using GenCluster.Storage.Tests.Support;

namespace GenCluster.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IObjectStore"/> guarantees, run against each implementation on its real backing
/// (a folder; Azure Blob Storage on Azurite). Each test gets a store of its own.
/// </summary>
public abstract class ObjectStoreContractTests
{
    private const long LargeObjectBytes = 256L << 20;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IObjectStore> CreateStoreAsync();

    /// <summary>Replaces the stored bytes of <paramref name="name"/> by <paramref name="alter"/>(bytes), behind the
    /// store's back: the recorded length and SHA-256 stay as they were.</summary>
    protected abstract Task AlterStoredBytesAsync(IObjectStore store, string name, Func<byte[], byte[]> alter);

    [Fact]
    public async Task A_256_MiB_object_round_trips_with_its_sha256_verified()
    {
        var store = await CreateStoreAsync();
        var expected = GeneratedStream.Sha256Of(LargeObjectBytes, seed: 7);
        long reported = 0;
        var progress = new SynchronousProgress(bytes => reported = Math.Max(reported, bytes));

        await using (var content = new GeneratedStream(LargeObjectBytes, seed: 7))
        {
            var written = await store.PutAsync("ckpt/exp1/step-00001/shard-0.bin", content, WriteCondition.IfNoneExists, CancellationToken.None, progress);
            written.Length.Should().Be(LargeObjectBytes);
            written.Sha256.Should().Be(expected, "the store hashes the bytes as it writes them");
        }

        reported.Should().Be(LargeObjectBytes, "progress ends at the object's length");
        await using (var reader = await store.OpenReadAsync("ckpt/exp1/step-00001/shard-0.bin", CancellationToken.None))
        {
            reader.Should().NotBeNull();
            reader!.Properties.Length.Should().Be(LargeObjectBytes);
            reader.Properties.Sha256.Should().Be(expected);
            // Hashed here independently of the store's own check, streaming: no copy of the object is kept.
            Convert.ToHexStringLower(await SHA256.HashDataAsync(reader.Content)).Should().Be(expected);
        }

        (await store.DeleteAsync("ckpt/exp1/step-00001/shard-0.bin", null, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Small_objects_round_trip_and_are_listed_by_prefix_in_name_order()
    {
        var store = await CreateStoreAsync();
        var empty = await store.PutAsync("a/empty", new MemoryStream(), WriteCondition.None, CancellationToken.None);
        var bytes = GeneratedStream.Bytes(100_003, seed: 3);
        var written = await store.PutAsync("a/b/one.bin", new MemoryStream(bytes), WriteCondition.None, CancellationToken.None);
        await store.PutAsync("a/b-two", new MemoryStream([1, 2, 3]), WriteCondition.None, CancellationToken.None);
        await store.PutAsync("ab/three", new MemoryStream([4]), WriteCondition.None, CancellationToken.None);
        await store.PutAsync("z", new MemoryStream([5]), WriteCondition.None, CancellationToken.None);

        empty.Length.Should().Be(0);
        empty.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData([])));
        written.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        (await ReadAllAsync(store, "a/b/one.bin")).Should().Equal(bytes);
        (await ReadAllAsync(store, "a/empty")).Should().BeEmpty();

        var properties = await store.GetPropertiesAsync("a/b/one.bin", CancellationToken.None);
        properties.Should().NotBeNull();
        properties!.Length.Should().Be(bytes.Length);
        properties.ETag.Should().Be(written.ETag);
        properties.Sha256.Should().Be(written.Sha256);

        (await ListAsync(store, "a/")).Should().Equal("a/b-two", "a/b/one.bin", "a/empty");
        (await ListAsync(store, "a")).Should().Equal("a/b-two", "a/b/one.bin", "a/empty", "ab/three");
        (await ListAsync(store, "a/b")).Should().Equal("a/b-two", "a/b/one.bin");
        (await ListAsync(store, "")).Should().HaveCount(5);
        (await ListAsync(store, "nothing/")).Should().BeEmpty();
        var listed = await store.ListAsync("a/b/", CancellationToken.None).ToListAsync();
        listed.Should().ContainSingle().Which.Should().BeEquivalentTo(written, o => o.Excluding(p => p.LastModified));
    }

    [Fact]
    public async Task Bytes_in_memory_round_trip_with_their_sha256()
    {
        var store = await CreateStoreAsync();
        // A slice that starts inside its array and ends off any chunk boundary.
        var whole = GeneratedStream.Bytes((3 << 20) + 4321, seed: 11);
        var slice = whole.AsMemory(1000, (3 << 20) + 17);

        var written = await store.PutAsync("ckpt/exp1/step-00002/shard-1.bin", (ReadOnlyMemory<byte>)slice, WriteCondition.IfNoneExists, CancellationToken.None);

        written.Length.Should().Be(slice.Length);
        written.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(slice.Span)));
        (await ReadAllAsync(store, "ckpt/exp1/step-00002/shard-1.bin")).Should().Equal(slice.ToArray());
        var again = () => store.PutAsync("ckpt/exp1/step-00002/shard-1.bin", (ReadOnlyMemory<byte>)slice, WriteCondition.IfNoneExists, CancellationToken.None);
        await again.Should().ThrowAsync<ObjectConditionFailedException>();
    }

    [Fact]
    public async Task An_overwrite_changes_the_etag_and_a_stale_etag_no_longer_matches()
    {
        var store = await CreateStoreAsync();
        var first = await store.PutAsync("manifest", new MemoryStream([1]), WriteCondition.None, CancellationToken.None);
        var second = await store.PutAsync("manifest", new MemoryStream([2, 2]), WriteCondition.IfMatches(first.ETag), CancellationToken.None);

        second.ETag.Should().NotBe(first.ETag);
        (await ReadAllAsync(store, "manifest")).Should().Equal(2, 2);
        var stale = () => store.PutAsync("manifest", new MemoryStream([3]), WriteCondition.IfMatches(first.ETag), CancellationToken.None);
        (await stale.Should().ThrowAsync<ObjectConditionFailedException>()).Which.ActualEtag.Should().Be(second.ETag);
        var exists = () => store.PutAsync("manifest", new MemoryStream([3]), WriteCondition.IfNoneExists, CancellationToken.None);
        await exists.Should().ThrowAsync<ObjectConditionFailedException>();
        (await ReadAllAsync(store, "manifest")).Should().Equal(2, 2);
    }

    [Fact]
    public async Task Of_racing_create_if_none_exists_writers_exactly_one_wins()
    {
        var store = await CreateStoreAsync();
        const int writers = 8;
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            start.Wait(TimeSpan.FromSeconds(30));
            try
            {
                await store.PutAsync("exp/lease", new MemoryStream(GeneratedStream.Bytes(300_000, (ulong)i + 1)), WriteCondition.IfNoneExists, CancellationToken.None);
                return i;
            }
            catch (ObjectConditionFailedException)
            {
                return -1;
            }
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winners = outcomes.Where(o => o >= 0).ToArray();
        winners.Should().ContainSingle("a create-only write commits for exactly one writer");
        (await ReadAllAsync(store, "exp/lease")).Should().Equal(GeneratedStream.Bytes(300_000, (ulong)winners[0] + 1), "the winner's bytes are stored");
    }

    [Fact]
    public async Task Of_racing_compare_and_swap_writers_exactly_one_wins()
    {
        var store = await CreateStoreAsync();
        var initial = await store.PutAsync("exp/state", new MemoryStream([0]), WriteCondition.None, CancellationToken.None);
        const int writers = 8;
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            start.Wait(TimeSpan.FromSeconds(30));
            try
            {
                var written = await store.PutAsync("exp/state", new MemoryStream(GeneratedStream.Bytes(200_000, (ulong)i + 10)), WriteCondition.IfMatches(initial.ETag), CancellationToken.None);
                return (Writer: i, written.ETag);
            }
            catch (ObjectConditionFailedException)
            {
                return (Writer: -1, ETag: string.Empty);
            }
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winners = outcomes.Where(o => o.Writer >= 0).ToArray();
        winners.Should().ContainSingle("only one write can find the ETag it expects");
        var stored = await store.GetPropertiesAsync("exp/state", CancellationToken.None);
        stored!.ETag.Should().Be(winners[0].ETag);
        (await ReadAllAsync(store, "exp/state")).Should().Equal(GeneratedStream.Bytes(200_000, (ulong)winners[0].Writer + 10));
    }

    [Fact]
    public async Task A_truncated_object_is_refused()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("ckpt/slice", new GeneratedStream(3_000_000, seed: 5), WriteCondition.None, CancellationToken.None);
        await AlterStoredBytesAsync(store, "ckpt/slice", bytes => bytes[..^1000]);

        var read = () => ReadAllAsync(store, "ckpt/slice");

        (await read.Should().ThrowAsync<ObjectCorruptedException>()).Which.ObjectName.Should().Be("ckpt/slice");
    }

    [Fact]
    public async Task A_bit_flipped_object_is_refused_before_its_last_bytes_are_returned()
    {
        var store = await CreateStoreAsync();
        const int length = 3_000_000;
        await store.PutAsync("ckpt/slice", new GeneratedStream(length, seed: 6), WriteCondition.None, CancellationToken.None);
        await AlterStoredBytesAsync(store, "ckpt/slice", bytes =>
        {
            bytes[length / 2] ^= 0x10;
            return bytes;
        });

        await using var reader = await store.OpenReadAsync("ckpt/slice", CancellationToken.None);
        var buffer = new byte[64 * 1024];
        long returned = 0;
        var read = async () =>
        {
            int n;
            while ((n = await reader!.Content.ReadAsync(buffer)) > 0)
            {
                returned += n;
            }
        };

        (await read.Should().ThrowAsync<ObjectCorruptedException>()).Which.Message.Should().Contain("SHA-256");
        returned.Should().BeLessThan(length, "the bytes that complete the object are withheld when it fails verification");
    }

    [Fact]
    public async Task A_cancelled_write_leaves_no_object_and_an_overwrite_cancelled_midway_leaves_the_old_one()
    {
        var store = await CreateStoreAsync();
        using var cancel = new CancellationTokenSource();
        var content = new GeneratedStream(64L << 20, seed: 8, onRead: position =>
        {
            if (position >= 16L << 20)
            {
                cancel.Cancel();
            }
        });

        var write = () => store.PutAsync("ckpt/big", content, WriteCondition.None, cancel.Token);

        await write.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetPropertiesAsync("ckpt/big", CancellationToken.None)).Should().BeNull();
        (await ListAsync(store, "")).Should().BeEmpty("nothing of the cancelled write is visible");

        var old = await store.PutAsync("ckpt/big", new MemoryStream([9, 9]), WriteCondition.None, CancellationToken.None);
        using var cancelAgain = new CancellationTokenSource();
        var again = new GeneratedStream(64L << 20, seed: 9, onRead: position =>
        {
            if (position >= 16L << 20)
            {
                cancelAgain.Cancel();
            }
        });
        var overwrite = () => store.PutAsync("ckpt/big", again, WriteCondition.None, cancelAgain.Token);
        await overwrite.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetPropertiesAsync("ckpt/big", CancellationToken.None))!.ETag.Should().Be(old.ETag);
        (await ReadAllAsync(store, "ckpt/big")).Should().Equal(9, 9);
    }

    [Fact]
    public async Task A_missing_object_reads_as_null_deletes_as_false_and_fails_a_compare_and_swap()
    {
        var store = await CreateStoreAsync();

        (await store.OpenReadAsync("no/such", CancellationToken.None)).Should().BeNull();
        (await store.GetPropertiesAsync("no/such", CancellationToken.None)).Should().BeNull();
        (await store.DeleteAsync("no/such", null, CancellationToken.None)).Should().BeFalse();
        var swap = () => store.PutAsync("no/such", new MemoryStream([1]), WriteCondition.IfMatches("0123456789abcdef"), CancellationToken.None);
        (await swap.Should().ThrowAsync<ObjectConditionFailedException>()).Which.ActualEtag.Should().BeNull();
        (await store.GetPropertiesAsync("no/such", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Delete_honours_the_etag()
    {
        var store = await CreateStoreAsync();
        var first = await store.PutAsync("old/ckpt", new MemoryStream([1]), WriteCondition.None, CancellationToken.None);
        var second = await store.PutAsync("old/ckpt", new MemoryStream([2]), WriteCondition.None, CancellationToken.None);

        var stale = () => store.DeleteAsync("old/ckpt", first.ETag, CancellationToken.None);

        await stale.Should().ThrowAsync<ObjectConditionFailedException>();
        (await store.GetPropertiesAsync("old/ckpt", CancellationToken.None)).Should().NotBeNull();
        (await store.DeleteAsync("old/ckpt", second.ETag, CancellationToken.None)).Should().BeTrue();
        (await store.GetPropertiesAsync("old/ckpt", CancellationToken.None)).Should().BeNull();
        (await ListAsync(store, "old/")).Should().BeEmpty();
    }

    [Fact]
    public async Task Retention_keeps_the_newest_generations_and_deletes_each_older_one_manifest_first()
    {
        var store = await CreateStoreAsync();
        foreach (var step in new[] { "step-000100", "step-000200", "step-000300", "step-000400" })
        {
            await store.PutAsync($"ckpt/exp1/{step}/shard-0", new MemoryStream([1]), WriteCondition.None, CancellationToken.None);
            await store.PutAsync($"ckpt/exp1/{step}/shard-1", new MemoryStream([2]), WriteCondition.None, CancellationToken.None);
            await store.PutAsync($"ckpt/exp1/{step}/manifest", new MemoryStream([3]), WriteCondition.None, CancellationToken.None);
        }

        await store.PutAsync("ckpt/exp10/step-000100/manifest", new MemoryStream([4]), WriteCondition.None, CancellationToken.None);

        var deleted = await store.KeepNewestAsync("ckpt/exp1/", keep: 2, commitMarker: "manifest", CancellationToken.None);

        deleted.Should().Equal(
            "ckpt/exp1/step-000100/manifest", "ckpt/exp1/step-000100/shard-0", "ckpt/exp1/step-000100/shard-1",
            "ckpt/exp1/step-000200/manifest", "ckpt/exp1/step-000200/shard-0", "ckpt/exp1/step-000200/shard-1");
        (await ListAsync(store, "ckpt/")).Should().Equal(
            "ckpt/exp1/step-000300/manifest", "ckpt/exp1/step-000300/shard-0", "ckpt/exp1/step-000300/shard-1",
            "ckpt/exp1/step-000400/manifest", "ckpt/exp1/step-000400/shard-0", "ckpt/exp1/step-000400/shard-1",
            "ckpt/exp10/step-000100/manifest");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/leading")]
    [InlineData("trailing/")]
    [InlineData("a//b")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("spaced name")]
    [InlineData("#staging/x")]
    [InlineData("back\\slash")]
    public async Task Invalid_names_are_refused(string name)
    {
        var store = await CreateStoreAsync();

        var write = () => store.PutAsync(name, new MemoryStream([1]), WriteCondition.None, CancellationToken.None);

        await write.Should().ThrowAsync<ArgumentException>();
    }

    protected static async Task<byte[]> ReadAllAsync(IObjectStore store, string name)
    {
        await using var reader = await store.OpenReadAsync(name, CancellationToken.None)
            ?? throw new InvalidOperationException($"object {name} does not exist");
        var copy = new MemoryStream();
        await reader.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<List<string>> ListAsync(IObjectStore store, string prefix) =>
        await store.ListAsync(prefix, CancellationToken.None).Select(p => p.Name).ToListAsync();

    /// <summary>Progress reported on the writer's own thread (<see cref="Progress{T}"/> would post it later).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
