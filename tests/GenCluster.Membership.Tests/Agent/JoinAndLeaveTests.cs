using System.Collections.Concurrent;
using GenCluster.Membership.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenCluster.Membership.Tests.Agent;

/// <summary>Joining (Joining → Active, visible to others), leaving (ShuttingDown → Dead), generations, Changed events.</summary>
public sealed class JoinAndLeaveTests(ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_joining_silo_writes_Joining_then_Active_and_shows_itself_active()
    {
        var table = new RecordingMembershipTable();
        await using var cluster = new TestCluster(output, table: table);

        var silo = await cluster.StartSiloAsync(1001);

        table.StatusesWritten(TestCluster.Address(1001)).Should().Equal(SiloStatus.Joining, SiloStatus.Active);
        silo.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001));
        (await cluster.ReadEntryAsync(TestCluster.Address(1001))).Should().Match<MembershipEntry>(entry =>
            entry.Status == SiloStatus.Active && entry.SiloName == "silo-1001" && entry.StartTime == cluster.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Silos_see_each_other_active_with_their_properties_after_a_table_refresh()
    {
        await using var cluster = new TestCluster(output);
        var first = await cluster.StartSiloAsync(1001);
        var second = await cluster.StartSiloAsync(1002, properties: new Dictionary<string, string> { ["devices"] = "cpu:0,cpu:1", ["gateway"] = "127.0.0.1:31002" });

        second.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001), TestCluster.Address(1002));
        first.Current.Active.Should().ContainSingle("the first silo has not re-read the table yet");

        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);

        first.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001), TestCluster.Address(1002));
        first.Current.Silos[TestCluster.Address(1002)].Properties.Should().Contain("gateway", "127.0.0.1:31002").And.Contain("devices", "cpu:0,cpu:1");
        first.IsDead(TestCluster.Address(1002)).Should().BeFalse();
    }

    [Fact]
    public async Task A_graceful_shutdown_writes_ShuttingDown_then_Dead_and_peers_see_it_dead_without_votes()
    {
        var table = new RecordingMembershipTable();
        await using var cluster = new TestCluster(output, table: table);
        var staying = await cluster.StartSiloAsync(1001);
        var leaving = await cluster.StartSiloAsync(1002);
        var leavingDeclaredDead = false;
        leaving.DeclaredDead += () => leavingDeclaredDead = true;
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));

        await leaving.ShutdownAsync(None);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);

        var address = TestCluster.Address(1002);
        table.StatusesWritten(address).Should().Equal(SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Dead);
        staying.IsDead(address).Should().BeTrue();
        staying.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001));
        (await cluster.ReadEntryAsync(address)).Suspicions.Should().BeEmpty();
        leavingDeclaredDead.Should().BeFalse("leaving is not being declared dead");

        var heartbeat = (await cluster.ReadEntryAsync(address)).IAmAliveTime;
        var probesToStaying = cluster.Network.ProbesSent(address, TestCluster.Address(1001));
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(20));
        (await cluster.ReadEntryAsync(address)).IAmAliveTime.Should().Be(heartbeat, "a silo that left writes no more heartbeats");
        cluster.Network.ProbesSent(address, TestCluster.Address(1001)).Should().Be(probesToStaying, "nor probes anyone");
    }

    [Fact]
    public async Task BeginShutdown_marks_the_silo_ShuttingDown_so_it_is_no_longer_active_but_not_dead()
    {
        await using var cluster = new TestCluster(output);
        var staying = await cluster.StartSiloAsync(1001);
        var leaving = await cluster.StartSiloAsync(1002);

        await leaving.BeginShutdownAsync(None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));

        staying.Current.GetStatus(TestCluster.Address(1002)).Should().Be(SiloStatus.ShuttingDown);
        staying.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001));
        staying.IsDead(TestCluster.Address(1002)).Should().BeFalse();
        (await cluster.ReadEntryAsync(TestCluster.Address(1002))).IAmAliveTime.Should().Be(cluster.Clock.GetUtcNow(), "heartbeats go on until the silo is dead");
    }

    [Fact]
    public async Task Joining_twice_is_refused()
    {
        await using var cluster = new TestCluster(output);
        var silo = await cluster.StartSiloAsync(1001);

        var again = () => silo.JoinAsync(None);

        await again.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task A_newer_generation_on_the_same_endpoint_supersedes_the_older_one_which_stops()
    {
        var table = new RecordingMembershipTable();
        await using var cluster = new TestCluster(output, table: table);
        var witness = await cluster.StartSiloAsync(1001);
        var older = await cluster.StartSiloAsync(1002, generation: 1);
        var olderDeclaredDead = 0;
        older.DeclaredDead += () => Interlocked.Increment(ref olderDeclaredDead);

        var newer = await cluster.StartSiloAsync(1002, generation: 2);

        (await cluster.ReadEntryAsync(TestCluster.Address(1002, 1))).Status.Should().Be(SiloStatus.Dead, "the restart marked its predecessor dead on join");
        newer.IsDead(TestCluster.Address(1002, 1)).Should().BeTrue();
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);
        witness.IsDead(TestCluster.Address(1002, 1)).Should().BeTrue();
        witness.Current.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001), TestCluster.Address(1002, 2));
        olderDeclaredDead.Should().Be(1, "the old incarnation read itself dead and must stop");

        var heartbeat = (await cluster.ReadEntryAsync(TestCluster.Address(1002, 1))).IAmAliveTime;
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(12));
        (await cluster.ReadEntryAsync(TestCluster.Address(1002, 1))).IAmAliveTime.Should().Be(heartbeat, "a dead silo writes nothing more");
        olderDeclaredDead.Should().Be(1, "DeclaredDead is raised once");
    }

    [Fact]
    public async Task An_older_generation_cannot_join_after_a_newer_one()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartSiloAsync(1002, generation: 5);
        var stale = cluster.CreateAgent(1002, generation: 4);

        var join = () => stale.JoinAsync(None);

        await join.Should().ThrowAsync<InvalidOperationException>().WithMessage("*newer generation*");
        (await cluster.ReadTableAsync()).Find(TestCluster.Address(1002, 4)).Should().BeNull();
    }

    [Fact]
    public async Task Changed_fires_once_per_new_table_version_in_order_and_not_for_heartbeats()
    {
        await using var cluster = new TestCluster(output);
        var observer = await cluster.StartSiloAsync(1001);
        var seen = new ConcurrentQueue<MembershipSnapshot>();
        observer.Changed += seen.Enqueue;

        await cluster.StartSiloAsync(1002);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);
        seen.Should().ContainSingle("both of 1002's writes happened before the observer's one refresh")
            .Which.Active.Select(entry => entry.Silo).Should().Equal(TestCluster.Address(1001), TestCluster.Address(1002));

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(12));
        seen.Should().HaveCount(1, "heartbeats are not membership changes");

        var third = await cluster.StartSiloAsync(1003);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);
        await third.ShutdownAsync(None);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);

        seen.Should().HaveCount(3);
        seen.Select(snapshot => snapshot.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seen.Last().GetStatus(TestCluster.Address(1003)).Should().Be(SiloStatus.Dead);
        seen.Last().Version.Should().Be((await cluster.ReadTableAsync()).Version);
    }

    [Fact]
    public async Task A_throwing_Changed_handler_does_not_stop_the_others_or_the_agent()
    {
        await using var cluster = new TestCluster(output);
        var observer = await cluster.StartSiloAsync(1001);
        var calls = 0;
        observer.Changed += _ => throw new InvalidOperationException("handler bug");
        observer.Changed += _ => Interlocked.Increment(ref calls);

        await cluster.StartSiloAsync(1002);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);
        await cluster.StartSiloAsync(1003);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);

        calls.Should().Be(2);
        observer.Current.Active.Should().HaveCount(3);
    }

    [Fact]
    public async Task AddClusterMembership_resolves_an_agent_and_rejects_invalid_options()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IMembershipTable, InMemoryMembershipTable>()
            .AddSingleton(new FakeSiloNetwork().ProberFor(TestCluster.Address(1001)))
            .AddSingleton(new LocalSiloDetails(TestCluster.Address(1001), "silo", new Dictionary<string, string>()))
            .AddClusterMembership(options => options.ProbedSilosPerSilo = 5);
        await using (var provider = services.BuildServiceProvider())
        {
            var agent = provider.GetRequiredService<MembershipAgent>();
            await agent.JoinAsync(None);
            agent.Current.Active.Should().ContainSingle();
            provider.GetRequiredService<IOptions<MembershipOptions>>().Value.ProbedSilosPerSilo.Should().Be(5);
            await agent.ShutdownAsync(None);
        }

        services.AddClusterMembership(options => options.ProbeTimeout = TimeSpan.Zero);
        await using var invalid = services.BuildServiceProvider();
        var resolve = () => invalid.GetRequiredService<MembershipAgent>();
        resolve.Should().Throw<OptionsValidationException>().WithMessage("*ProbeTimeout*");
    }

    [Fact]
    public void The_agent_refuses_unusable_options()
    {
        var options = new MembershipOptions { MissedProbesLimit = 0, TableRefreshInterval = TimeSpan.FromSeconds(-1) };

        var create = () => new MembershipAgent(
            new InMemoryMembershipTable(),
            new FakeSiloNetwork().ProberFor(TestCluster.Address(1)),
            new LocalSiloDetails(TestCluster.Address(1), "silo", new Dictionary<string, string>()),
            Options.Create(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MembershipAgent>.Instance,
            TimeProvider.System);

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }
}
