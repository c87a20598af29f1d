namespace GenCluster.Runtime.Tests.Persistence;

/// <summary>
/// The ETag contract every <see cref="IGrainStorage"/> keeps, run against each storage on its real backing (memory, a
/// folder, Azure Blob Storage on Azurite) by a derived class.
/// </summary>
public abstract class GrainStorageContractTests
{
    /// <summary>A storage with no records.</summary>
    protected abstract IGrainStorage CreateStorage();

    [Fact]
    public async Task A_missing_record_reads_as_nothing()
    {
        var (data, etag) = await CreateStorage().ReadAsync(Grain("missing"), "state", default);

        data.Should().BeNull();
        etag.Should().BeNull();
    }

    [Fact]
    public async Task A_write_is_read_back_with_the_etag_it_returned()
    {
        var storage = CreateStorage();
        string etag = await storage.WriteAsync(Grain("a"), "state", new byte[] { 1, 2, 3 }, null, default);

        var (data, stored) = await storage.ReadAsync(Grain("a"), "state", default);

        data.Should().Equal(1, 2, 3);
        stored.Should().Be(etag);
        (await storage.WriteAsync(Grain("a"), "state", new byte[] { 4 }, etag, default)).Should().NotBe(etag, "every write gets a new ETag");
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_changes_nothing()
    {
        var storage = CreateStorage();
        string first = await storage.WriteAsync(Grain("b"), "state", new byte[] { 1 }, null, default);
        string second = await storage.WriteAsync(Grain("b"), "state", new byte[] { 2 }, first, default);

        var stale = () => storage.WriteAsync(Grain("b"), "state", new byte[] { 3 }, first, default);
        var thrown = await stale.Should().ThrowAsync<InconsistentStateException>();

        thrown.Which.StoredEtag.Should().Be(second);
        thrown.Which.ExpectedEtag.Should().Be(first);
        (await storage.ReadAsync(Grain("b"), "state", default)).Data.Should().Equal(2);
        await storage.Invoking(s => s.WriteAsync(Grain("b"), "state", new byte[] { 3 }, null, default)).Should().ThrowAsync<InconsistentStateException>("a record exists");
    }

    [Fact]
    public async Task Clear_removes_the_record_only_with_the_current_etag()
    {
        var storage = CreateStorage();
        string etag = await storage.WriteAsync(Grain("c"), "state", new byte[] { 1 }, null, default);

        await storage.Invoking(s => s.ClearAsync(Grain("c"), "state", "stale", default)).Should().ThrowAsync<InconsistentStateException>();
        await storage.ClearAsync(Grain("c"), "state", etag, default);

        (await storage.ReadAsync(Grain("c"), "state", default)).Data.Should().BeNull();
        await storage.Invoking(s => s.WriteAsync(Grain("c"), "state", new byte[] { 9 }, etag, default)).Should().ThrowAsync<InconsistentStateException>("a deleted record's ETag never matches again");
    }

    [Fact]
    public async Task Clear_of_a_missing_record_expecting_none_succeeds_and_expecting_an_etag_fails()
    {
        var storage = CreateStorage();
        string etag = await storage.WriteAsync(Grain("d"), "state", new byte[] { 1 }, null, default);

        await storage.Invoking(s => s.ClearAsync(Grain("d"), "state", null, default)).Should().ThrowAsync<InconsistentStateException>("a record exists");
        await storage.ClearAsync(Grain("d"), "state", etag, default);
        await storage.ClearAsync(Grain("d"), "state", null, default);
        var thrown = await storage.Invoking(s => s.ClearAsync(Grain("d"), "state", etag, default)).Should().ThrowAsync<InconsistentStateException>("the record is gone");

        thrown.Which.StoredEtag.Should().BeNull();
        thrown.Which.ExpectedEtag.Should().Be(etag);
    }

    [Fact]
    public async Task Of_many_concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        var storage = CreateStorage();
        string etag = await storage.WriteAsync(Grain("race"), "state", new byte[] { 0 }, null, default);

        var attempts = Enumerable.Range(1, 16).Select(async i =>
        {
            await Task.Yield();
            try
            {
                await storage.WriteAsync(Grain("race"), "state", new[] { (byte)i }, etag, default);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        (await Task.WhenAll(attempts)).Count(won => won).Should().Be(1);
    }

    [Fact]
    public async Task States_of_different_grains_and_names_are_separate()
    {
        var storage = CreateStorage();
        await storage.WriteAsync(new GrainId("worker", "silo-1/cpu:0"), "weights", new byte[] { 1 }, null, default);
        await storage.WriteAsync(new GrainId("worker", "silo-1/cpu%3A0"), "weights", new byte[] { 2 }, null, default);
        await storage.WriteAsync(new GrainId("worker", "silo-1/cpu:0"), "optimizer", new byte[] { 3 }, null, default);

        (await storage.ReadAsync(new GrainId("worker", "silo-1/cpu:0"), "weights", default)).Data.Should().Equal(1);
        (await storage.ReadAsync(new GrainId("worker", "silo-1/cpu%3A0"), "weights", default)).Data.Should().Equal(2);
        (await storage.ReadAsync(new GrainId("worker", "silo-1/cpu:0"), "optimizer", default)).Data.Should().Equal(3);
    }

    private static GrainId Grain(string key) => new("stateful", key);
}
