using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class GrainCallTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Client_calls_reach_grains_placed_across_the_silos()
    {
        var silos = new HashSet<string>();
        for (int i = 0; i < 24; i++)
        {
            var counter = fixture.Client.GetGrain<ICounterGrain>($"spread-{Guid.NewGuid():N}");
            (await counter.Increment()).Should().Be(1);
            (await counter.Increment()).Should().Be(2);
            silos.Add(await counter.GetSiloName());
        }

        silos.Should().HaveCountGreaterThan(1, "hash placement spreads 24 grains over 3 silos");
        silos.Should().BeSubsetOf(Cluster.Silos.Select(s => s.Name));
    }

    [Fact]
    public async Task Callers_on_every_silo_and_the_client_share_one_activation()
    {
        string key = $"shared-{Guid.NewGuid():N}";
        var values = new List<int>();
        foreach (var silo in Cluster.Silos)
        {
            values.Add(await silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment());
        }

        values.Add(await fixture.Client.GetGrain<ICounterGrain>(key).Increment());

        values.Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task Grains_call_grains_on_other_silos()
    {
        var caller = fixture.Client.GetGrain<ICounterGrain>($"caller-{Guid.NewGuid():N}");
        string callerSilo = await caller.GetSiloName();
        string? remoteKey = null;
        for (int i = 0; i < 100 && remoteKey is null; i++)
        {
            string candidate = $"callee-{i}-{Guid.NewGuid():N}";
            if (await fixture.Client.GetGrain<ICounterGrain>(candidate).GetSiloName() != callerSilo)
            {
                remoteKey = candidate;
            }
        }

        remoteKey.Should().NotBeNull("some grain lands on another silo than the caller");
        var (value, calleeSilo) = await caller.IncrementOther(remoteKey!);

        value.Should().Be(1);
        calleeSilo.Should().NotBe(callerSilo);
    }
}
