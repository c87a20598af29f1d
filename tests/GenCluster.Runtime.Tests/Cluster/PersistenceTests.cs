using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PersistenceTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Persisted_state_survives_deactivation_and_is_read_by_the_next_activation()
    {
        string key = $"persisted-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IPersistentCounterGrain>(key);
        for (int i = 1; i <= 3; i++)
        {
            (await grain.Increment()).Should().Be(i);
        }

        var host = Cluster[await grain.GetSiloName()];
        var grainId = new GrainId(GrainCodeRegistry.FindImplementation(typeof(IPersistentCounterGrain)).GrainType, key);
        await grain.Deactivate();
        await Cluster.WaitUntilAsync(() => !host.Service<Catalog>().TryGetActivation(grainId, out _), "the grain was deactivated");

        var state = await grain.Get();

        state.Value.Should().Be(3);
        (await grain.Increment()).Should().Be(4);
        Directory.EnumerateFiles(Cluster.Storage.Path, "*.state", SearchOption.AllDirectories).Should().Contain(f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeactivateOnIdle_lets_the_current_request_finish_and_the_next_call_reactivates()
    {
        string key = $"lifecycle-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<ILifecycleGrain>(key);
        var counter = fixture.Client.GetGrain<ICounterGrain>(key);
        (await counter.Increment()).Should().Be(1);
        (await counter.Increment()).Should().Be(2);

        await counter.Deactivate();

        await Cluster.WaitUntilAsync(async () => await counter.Increment() == 1, "a fresh activation with fresh in-memory state answers");
        (await grain.GetSiloName()).Should().NotBeNullOrEmpty();
    }
}
