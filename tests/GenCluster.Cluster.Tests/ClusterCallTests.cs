using GenCluster.Cluster.TestGrains;

namespace GenCluster.Cluster.Tests;

/// <summary>Calls through a 3-process cluster: placement across silos, turn discipline, persistence, authentication.</summary>
public sealed class ClusterCallTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Grains_are_placed_on_every_silo_and_answer_through_any_gateway()
    {
        var names = await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => cluster.Client.GetGrain<IProbeGrain>($"placement-{i}").GetSiloName()));
        names.Distinct().Should().BeEquivalentTo(["silo-0", "silo-1", "silo-2"], "hash placement spreads 30 grains over 3 silos");

        // The same grain answers from the same silo whichever gateway a client uses.
        await using var other = cluster.CreateClient(ClusterFixture.Secret);
        await other.ConnectAsync();
        var again = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => other.GetGrain<IProbeGrain>($"placement-{i}").GetSiloName()));
        again.Should().Equal(names);
    }

    [Fact]
    public async Task An_all_reduce_over_the_three_silo_processes_is_exact_and_moves_its_tensors_through_shared_memory()
    {
        // 3 ranks × 4 MiB in 256 KiB buckets over 3 shards: every bucket and answer between silos is a large frame.
        const int World = 3, Elements = 1024 * 1024;
        var run = $"shm-{Guid.NewGuid():N}";
        var ranks = Enumerable.Range(0, World).Select(r => cluster.Client.GetGrain<IAllReduceWorkerGrain>($"silo-{r}/allreduce/{run}/{r}")).ToArray();
        await Task.WhenAll(ranks.Select((rank, r) => rank.Prepare(new AllReducePlan(run, r, World, Elements, Shards: World, BucketElements: 64 * 1024))));

        // Run checks the exact element-wise sum and throws otherwise.
        var seconds = await Task.WhenAll(ranks.Select(rank => rank.Run(3)));
        seconds.Should().OnlyContain(s => s.Length == 3);
        await Task.WhenAll(ranks.Select(rank => rank.Release()));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var silo in cluster.Silos)
        {
            silo.Output.Should().Contain("large frames go through shared memory", $"{silo.Name} shares the host with the other silos");
            using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(silo.HealthUri));
            health.RootElement.GetProperty("sharedMemoryLinks").GetInt64().Should().BeGreaterThanOrEqualTo(4, $"{silo.Name} is connected to each of 2 other silos, both ways");
            health.RootElement.GetProperty("bytesSentThroughSharedMemory").GetInt64().Should().BeGreaterThan(2 * Elements / World * sizeof(float) / 2, "its rank pushed and its shard answered megabytes");
            health.RootElement.GetProperty("bytesReceivedThroughSharedMemory").GetInt64().Should().BeGreaterThan(0);
            // A new connection starts out polling, so every silo connected to another has polled at least once.
            health.RootElement.GetProperty("receivePolls").GetInt64().Should().BeGreaterThan(0, $"{silo.Name}'s connections to other silos poll between messages");
        }
    }

    [Fact]
    public async Task A_non_reentrant_grain_never_runs_two_turns_at_once_under_concurrent_load()
    {
        var grain = cluster.Client.GetGrain<IProbeGrain>("turns");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => grain.Work(2)));
        (await grain.GetMaxConcurrency()).Should().Be(1);

        // Control: the same load on a [Reentrant] grain does overlap, so the probe can see overlap.
        var reentrant = cluster.Client.GetGrain<IReentrantProbeGrain>("turns");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => reentrant.Work(20)));
        (await reentrant.GetMaxConcurrency()).Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Persisted_state_survives_deactivation()
    {
        var counter = cluster.Client.GetGrain<ICounterGrain>("survives-deactivation");
        for (var i = 0; i < 5; i++)
        {
            await counter.Increment();
        }

        var before = await counter.Read();
        await counter.Deactivate();
        var after = await counter.Read();
        after.ActivationId.Should().NotBe(before.ActivationId, "the grain was deactivated and activated anew");
        after.Value.Should().Be(5);
    }

    [Fact]
    public async Task A_client_with_the_wrong_secret_is_refused()
    {
        await using var impostor = cluster.CreateClient("not-the-secret");
        var connect = async () => await impostor.ConnectAsync();
        await connect.Should().ThrowAsync<Exception>().Where(e => e.ToString().Contains("refused", StringComparison.OrdinalIgnoreCase)
            || e.ToString().Contains("authentic", StringComparison.OrdinalIgnoreCase));
        cluster.Silos.Should().OnlyContain(s => !s.HasExited, "refusing a client must not disturb the silos");
    }

    [Fact]
    public async Task A_silo_with_the_wrong_secret_is_refused_and_the_cluster_keeps_serving()
    {
        using var impostor = cluster.StartSilo("impostor", "not-the-secret");
        impostor.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue($"a silo that cannot authenticate to the cluster must give up; output:\n{impostor.Output}");
        impostor.ExitCode.Should().NotBe(0);
        impostor.Output.Should().MatchRegex("(?i)refused|authenticat");
        impostor.Output.Should().MatchRegex("did not become active|cannot join", "it checks that it can reach the active silos before it takes grains")
            .And.NotContain(" is active: ", "a silo that cannot reach its peers is never active");

        var names = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => cluster.Client.GetGrain<IProbeGrain>($"after-impostor-{i}").GetSiloName()));
        names.Should().OnlyContain(n => n.StartsWith("silo-", StringComparison.Ordinal));
    }
}
