using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GenCluster.Membership;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

/// <summary>Silos leaving, crashing and being declared dead; each test has a cluster of its own.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Stopping_a_silo_gracefully_deactivates_its_grains_and_they_answer_from_another_silo()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var client = await cluster.ConnectClientAsync(gateways: [cluster.Silos[0].Gateway]);
        var countersOnSilo2 = await GrainsOnAsync(key => client.GetGrain<IPersistentCounterGrain>(key).GetSiloName(), "silo-2", count: 3);
        var lifecyclesOnSilo2 = await GrainsOnAsync(key => client.GetGrain<ILifecycleGrain>(key).GetSiloName(), "silo-2", count: 2);
        foreach (var key in countersOnSilo2)
        {
            await client.GetGrain<IPersistentCounterGrain>(key).Increment();
        }

        await cluster["silo-2"].StopAsync();

        cluster["silo-2"].Silo.Status.Should().Be(SiloLifecycleStatus.Stopped);
        foreach (var key in lifecyclesOnSilo2)
        {
            LifecycleGrain.EventsOf(key).Should().Equal("activate@silo-2", "deactivate:ShuttingDown@silo-2");
            (await client.GetGrain<ILifecycleGrain>(key).GetSiloName()).Should().BeOneOf("silo-1", "silo-3");
        }

        foreach (var key in countersOnSilo2)
        {
            var counter = client.GetGrain<IPersistentCounterGrain>(key);
            (await counter.Increment()).Should().Be(2, "the new activation read the state the old one wrote");
            (await counter.GetSiloName()).Should().BeOneOf("silo-1", "silo-3");
        }

        var rows = await cluster.Table.ReadAllAsync(CancellationToken.None);
        rows.Rows.Single(r => r.Entry.SiloName == "silo-2").Entry.Status.Should().Be(SiloStatus.Dead, "a graceful stop leaves membership as dead");
    }

    [Fact]
    public async Task The_grains_of_a_crashed_silo_answer_from_another_silo_with_their_persisted_state()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var client = await cluster.ConnectClientAsync(gateways: [cluster.Silos[0].Gateway]);
        var onSilo3 = await GrainsOnAsync(key => client.GetGrain<IPersistentCounterGrain>(key).GetSiloName(), "silo-3", count: 3);
        foreach (var key in onSilo3)
        {
            for (int i = 0; i < 2; i++)
            {
                await client.GetGrain<IPersistentCounterGrain>(key).Increment();
            }
        }

        var slow = client.GetGrain<ISlowGrain>((await SlowGrainOnAsync(client, "silo-3"))!);
        var inFlight = slow.Delay(60_000, CancellationToken.None);
        await Task.Delay(200);
        var stopwatch = Stopwatch.StartNew();

        await cluster["silo-3"].CrashAsync();

        await inFlight.Invoking(t => t).Should().ThrowAsync<SiloUnavailableException>("a call in flight on a dead silo fails fast, not by timeout");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await cluster.WaitUntilAsync(
            () => cluster.Silos.Take(2).All(s => s.Silo.GetHealth().ActiveSilos == 2),
            "the survivors declared silo-3 dead",
            TimeSpan.FromSeconds(15));

        foreach (var key in onSilo3)
        {
            var counter = client.GetGrain<IPersistentCounterGrain>(key);
            (await counter.Increment()).Should().Be(3);
            (await counter.GetSiloName()).Should().BeOneOf("silo-1", "silo-2");
            (await counter.Get()).Silos.Should().StartWith(["silo-3", "silo-3"]);
        }
    }

    [Fact]
    public async Task A_client_fails_over_to_the_next_gateway_when_its_gateway_dies()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var client = await cluster.ConnectClientAsync();
        var counter = client.GetGrain<IPersistentCounterGrain>($"failover-{Guid.NewGuid():N}");
        (await counter.Increment()).Should().Be(1);
        client.Gateway!.ToString().Should().Be(cluster.Silos[0].Gateway);

        await cluster.Silos[0].CrashAsync();
        await cluster.WaitUntilAsync(() => !client.IsConnected, "the client noticed its gateway is gone");

        int value = 0;
        await cluster.WaitUntilAsync(
            async () =>
            {
                try
                {
                    value = await counter.Increment();
                    return true;
                }
                catch (SiloUnavailableException)
                {
                    return false; // the grain's silo was the crashed one and is not declared dead yet
                }
            },
            "a call through another gateway succeeds",
            TimeSpan.FromSeconds(15));

        value.Should().BeGreaterThan(1);
        client.Gateway!.ToString().Should().Be(cluster.Silos[1].Gateway);
    }

    [Fact]
    public async Task A_client_with_no_reachable_gateway_names_every_endpoint_it_tried()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        string[] closed = [$"127.0.0.1:{FreePort()}", $"127.0.0.1:{FreePort()}"];
        var client = cluster.CreateClient(gateways: closed);

        var thrown = await client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<SiloUnavailableException>();

        thrown.Which.Message.Should().Contain(closed[0]).And.Contain(closed[1]);
    }

    [Fact]
    public async Task A_silo_the_cluster_declares_dead_stops_itself()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var victim = cluster["silo-2"];
        bool written = false;
        for (int attempt = 0; attempt < 20 && !written; attempt++)
        {
            // A heartbeat may change the row between the read and the write; read again then.
            var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
            var row = table.Rows.Single(r => r.Entry.Silo == victim.Address);
            written = await cluster.Table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, table.Version, CancellationToken.None);
        }

        written.Should().BeTrue();

        await cluster.WaitUntilAsync(() => victim.Silo.Status == SiloLifecycleStatus.Dead, "the silo read itself dead and stopped", TimeSpan.FromSeconds(10));
        victim.Silo.GetHealth().IsHealthy.Should().BeFalse();
        (await cluster.Silos[0].GrainFactory.GetGrain<ICounterGrain>($"after-{Guid.NewGuid():N}").GetSiloName()).Should().Be("silo-1");
    }

    /// <summary>Keys of grains (activated by <paramref name="siloOf"/>) that landed on <paramref name="silo"/>.</summary>
    private static async Task<List<string>> GrainsOnAsync(Func<string, Task<string>> siloOf, string silo, int count)
    {
        var keys = new List<string>();
        for (int i = 0; i < 200 && keys.Count < count; i++)
        {
            string key = $"on-{silo}-{i}-{Guid.NewGuid():N}";
            if (await siloOf(key) == silo)
            {
                keys.Add(key);
            }
        }

        keys.Should().HaveCount(count, $"200 keys include {count} placed on {silo}");
        return keys;
    }

    private static async Task<string?> SlowGrainOnAsync(IGrainFactory factory, string silo)
    {
        for (int i = 0; i < 200; i++)
        {
            string key = $"slow-on-{silo}-{i}-{Guid.NewGuid():N}";
            if (await factory.GetGrain<ISlowGrain>(key).GetSiloName() == silo)
            {
                return key;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
