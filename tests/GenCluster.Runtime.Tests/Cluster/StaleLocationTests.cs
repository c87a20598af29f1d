using GenCluster.Runtime.Activation;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;
using GenCluster.Testing.Processes;

namespace GenCluster.Runtime.Tests.Cluster;

/// <summary>
/// A silo's location cache naming a silo that died before membership said so (the window right after a crash): calls
/// must still reach the grain. The stale entry is planted in the cache, so the race is reproduced every time.
/// </summary>
public sealed class StaleLocationTests
{
    [Fact]
    public async Task A_one_way_call_a_grain_makes_to_itself_is_delivered_although_the_cache_names_a_dead_silo()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        // Through silo-2's gateway: a call routed by silo-1 would find the planted entry first and correct it.
        var client = await cluster.ConnectClientAsync(gateways: [cluster["silo-2"].Gateway]);
        string key = await CounterOnAsync(client, "silo-1");
        var counter = client.GetGrain<ICounterGrain>(key);
        PlantStaleLocation(cluster["silo-1"], home: cluster["silo-1"], key);

        await counter.BumpSelf();

        // The one-way Bump was queued behind BumpSelf's turn, so this Get runs after it when it was delivered.
        (await counter.Get()).Should().Be(1, "the self-call goes to the activation on this silo, not to the cached dead silo");
        (await counter.GetSiloName()).Should().Be("silo-1");
    }

    [Fact]
    public async Task A_one_way_call_sent_to_an_unreachable_cached_silo_is_rerouted_to_the_grain()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var client = await cluster.ConnectClientAsync(gateways: [cluster["silo-1"].Gateway]);
        string key = await CounterOnAsync(client, "silo-1");
        PlantStaleLocation(cluster["silo-2"], home: cluster["silo-1"], key);

        await cluster["silo-2"].GrainFactory.GetGrain<ICounterGrain>(key).Bump();

        await cluster.WaitUntilAsync(
            async () => await client.GetGrain<ICounterGrain>(key).Get() == 1,
            "the one-way call sent from silo-2 arrived at silo-1");
        (await client.GetGrain<ICounterGrain>(key).GetSiloName()).Should().Be("silo-1", "the reroute found the live activation, it did not make another");
    }

    private static async Task<string> CounterOnAsync(IGrainFactory client, string silo)
    {
        for (int i = 0; i < 200; i++)
        {
            string key = $"stale-{i}-{Guid.NewGuid():N}";
            if (await client.GetGrain<ICounterGrain>(key).GetSiloName() == silo)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"none of 200 keys was placed on {silo}");
    }

    /// <summary>Makes <paramref name="silo"/>'s cache say the counter on <paramref name="home"/> lives on a loopback port nobody listens on.</summary>
    private static void PlantStaleLocation(TestSilo silo, TestSilo home, string key)
    {
        var grainId = home.Service<Catalog>().Activations.Select(a => a.Address.GrainId).Single(id => id.Key == key);
        silo.Service<GrainDirectoryCache>().Set(grainId, new SiloAddress("127.0.0.1", LoopbackPorts.Free(), Generation: 1));
    }
}
