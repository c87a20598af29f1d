using GenCluster.Runtime.Persistence;
using GenCluster.Runtime.Tests.Grains;

namespace GenCluster.Runtime.Tests.Persistence;

public sealed class PersistentStateTests
{
    private static readonly GrainId Grain = new("persistentcounter", "unit");

    [Fact]
    public async Task A_state_with_no_record_reads_as_a_new_value()
    {
        var state = new PersistentState<CounterState>(Grain, "counter", "memory", new MemoryGrainStorage());

        await state.ReadStateAsync();

        state.RecordExists.Should().BeFalse();
        state.Etag.Should().BeNull();
        state.State.Value.Should().Be(0);
    }

    [Fact]
    public async Task Written_state_is_read_by_another_instance()
    {
        var storage = new MemoryGrainStorage();
        var writer = new PersistentState<CounterState>(Grain, "counter", "memory", storage);
        writer.State.Value = 41;
        writer.State.Silos.Add("silo-1");
        await writer.WriteStateAsync();

        var reader = new PersistentState<CounterState>(Grain, "counter", "memory", storage);
        await reader.ReadStateAsync();

        reader.RecordExists.Should().BeTrue();
        reader.Etag.Should().Be(writer.Etag);
        reader.State.Value.Should().Be(41);
        reader.State.Silos.Should().Equal("silo-1");
    }

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_a_newer_write()
    {
        var storage = new MemoryGrainStorage();
        var old = new PersistentState<CounterState>(Grain, "counter", "memory", storage);
        var current = new PersistentState<CounterState>(Grain, "counter", "memory", storage);
        await old.ReadStateAsync();
        await current.ReadStateAsync();
        current.State.Value = 5;
        await current.WriteStateAsync();

        old.State.Value = 1;
        await old.Invoking(s => s.WriteStateAsync()).Should().ThrowAsync<InconsistentStateException>();

        await old.ReadStateAsync();
        old.State.Value.Should().Be(5);
    }

    [Fact]
    public async Task Clearing_deletes_the_record_and_resets_the_value()
    {
        var storage = new MemoryGrainStorage();
        var state = new PersistentState<CounterState>(Grain, "counter", "memory", storage);
        state.State.Value = 3;
        await state.WriteStateAsync();

        await state.ClearStateAsync();

        state.RecordExists.Should().BeFalse();
        state.State.Value.Should().Be(0);
        (await storage.ReadAsync(Grain, "counter", default)).Data.Should().BeNull();
    }
}
