using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Concurrent_first_calls_from_every_silo_create_exactly_one_activation()
    {
        var callers = Cluster.Silos.Select(s => s.GrainFactory).Append(fixture.Client).ToList();
        for (int round = 0; round < 5; round++)
        {
            // Prefer-local placement: every silo would like to host the grain itself, so they really contend.
            string key = $"contended-{round}-{Guid.NewGuid():N}";
            var calls = Enumerable.Range(0, 5).SelectMany(_ => callers.Select(c => c.GetGrain<IActivationCountingGrain>(key).GetSiloName()));

            var hosts = await Task.WhenAll(calls);

            hosts.Distinct().Should().ContainSingle($"every caller of {key} reached the same activation");
            PreferLocalGrain.ActivationsOf(key).Should().Be(1);
        }
    }

    [Fact]
    public async Task Prefer_local_places_the_grain_on_the_calling_silo()
    {
        foreach (var silo in Cluster.Silos)
        {
            (await silo.GrainFactory.GetGrain<IActivationCountingGrain>($"local-{Guid.NewGuid():N}").GetSiloName()).Should().Be(silo.Name);
        }
    }

    [Fact]
    public async Task A_pinned_grain_lives_on_the_silo_its_key_names()
    {
        (await fixture.Client.GetGrain<IPinnedGrain>("silo-2/cpu:0").GetSiloName()).Should().Be("silo-2");
        (await Cluster.Silos[2].GrainFactory.GetGrain<IPinnedGrain>("silo-1/cpu:0").GetSiloName()).Should().Be("silo-1");
        (await Cluster.Silos[0].GrainFactory.GetGrain<IPinnedGrain>("silo-3/cuda:1").GetSiloName()).Should().Be("silo-3");
    }

    [Fact]
    public async Task A_grain_pinned_to_a_silo_that_is_not_active_fails_clearly()
    {
        var grain = fixture.Client.GetGrain<IPinnedGrain>("silo-9/cpu:0");

        var thrown = await grain.Invoking(g => g.GetSiloName()).Should().ThrowAsync<SiloUnavailableException>();

        thrown.Which.Message.Should().Contain("pinned to silo 'silo-9'").And.Contain("silo-1");
    }
}
