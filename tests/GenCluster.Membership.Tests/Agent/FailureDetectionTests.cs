using GenCluster.Membership.Tests.Support;
using GenCluster.Runtime;
using Xunit.Abstractions;

namespace GenCluster.Membership.Tests.Agent;

/// <summary>
/// Death by votes on a manual clock: missed probes, vote counts, false suspicions, vote expiry, stale heartbeats,
/// and what the silo declared dead does. Defaults: 1 s probes, 3 misses, 2 votes, 30 s expiry, 5 s heartbeats.
/// </summary>
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    private static readonly SiloAddress A = TestCluster.Address(1001);
    private static readonly SiloAddress B = TestCluster.Address(1002);
    private static readonly SiloAddress C = TestCluster.Address(1003);

    [Fact]
    public async Task A_silo_that_stops_answering_is_declared_dead_by_two_votes_after_the_missed_probe_limit()
    {
        await using var cluster = new TestCluster(output);
        var (a, b, _) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));

        cluster.Network.StopAnswering(C);
        var detected = await cluster.AdvanceUntilAsync(() => a.IsDead(C) && b.IsDead(C), TimeSpan.FromSeconds(30));

        var options = cluster.Options;
        detected.Should().NotBeNull();
        detected!.Value.Should().BeGreaterThanOrEqualTo(options.MissedProbesLimit * options.ProbeInterval, "three probes must be missed first");
        detected.Value.Should().BeLessThanOrEqualTo((options.MissedProbesLimit * options.ProbeInterval) + options.TableRefreshInterval);
        var entry = await cluster.ReadEntryAsync(C);
        entry.Status.Should().Be(SiloStatus.Dead);
        entry.Suspicions.Select(vote => vote.Voter).Should().BeEquivalentTo(new[] { A, B }, "with three silos the two others must both vote");
        a.Current.Active.Select(silo => silo.Silo).Should().Equal(A, B);
    }

    [Fact]
    public async Task In_a_two_silo_cluster_the_survivors_single_vote_suffices()
    {
        await using var cluster = new TestCluster(output);
        var (a, b) = Two(await cluster.StartSettledAsync(1001, 1002));

        cluster.Network.StopAnswering(B);
        await b.DisposeAsync();
        var detected = await cluster.AdvanceUntilAsync(() => a.IsDead(B), TimeSpan.FromSeconds(30));

        detected.Should().NotBeNull().And.Be(cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval);
        (await cluster.ReadEntryAsync(B)).Suspicions.Should().ContainSingle().Which.Voter.Should().Be(A);
    }

    [Fact]
    public async Task With_one_vote_of_two_needed_the_suspect_stays_active()
    {
        await using var cluster = new TestCluster(output);
        var (a, _, _) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));

        cluster.Network.Cut(A, C);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));

        var entry = await cluster.ReadEntryAsync(C);
        entry.Status.Should().Be(SiloStatus.Active, "only A cannot reach C; B can");
        entry.Suspicions.Should().ContainSingle().Which.Voter.Should().Be(A);
        a.IsDead(C).Should().BeFalse();
        a.ConsecutiveMisses(C).Should().Be(10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_silo_that_misses_fewer_probes_than_the_limit_and_recovers_is_not_suspected(int missed)
    {
        await using var cluster = new TestCluster(output);
        var (a, _, _) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));

        for (var blip = 0; blip < 3; blip++)
        {
            cluster.Network.StopAnswering(C);
            await cluster.AdvanceAsync(missed * cluster.Options.ProbeInterval);
            a.ConsecutiveMisses(C).Should().Be(missed);
            cluster.Network.ResumeAnswering(C);
            await cluster.AdvanceAsync(cluster.Options.ProbeInterval);
            a.ConsecutiveMisses(C).Should().Be(0, "an answered probe clears the misses");
        }

        var entry = await cluster.ReadEntryAsync(C);
        entry.Status.Should().Be(SiloStatus.Active);
        entry.Suspicions.Should().BeEmpty("misses must be consecutive to count");
    }

    [Fact]
    public async Task The_silo_declared_dead_raises_DeclaredDead_once_and_stops_heartbeats_and_probes()
    {
        await using var cluster = new TestCluster(output);
        var (_, _, victim) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));
        var raised = 0;
        var deadWhenRaised = false;
        victim.DeclaredDead += () =>
        {
            Interlocked.Increment(ref raised);
            deadWhenRaised = victim.IsDead(C);
        };


        // C still reaches the others but they cannot reach it (a one-way partition): it keeps running until it reads its death.
        cluster.Network.StopAnswering(C);
        var noticed = await cluster.AdvanceUntilAsync(() => raised > 0, TimeSpan.FromSeconds(30));

        noticed.Should().NotBeNull();
        noticed!.Value.Should().BeLessThanOrEqualTo((cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval) + cluster.Options.TableRefreshInterval);
        deadWhenRaised.Should().BeTrue();
        var heartbeat = (await cluster.ReadEntryAsync(C)).IAmAliveTime;
        var probes = cluster.Network.ProbesSent(C, A);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(15));
        raised.Should().Be(1);
        (await cluster.ReadEntryAsync(C)).IAmAliveTime.Should().Be(heartbeat, "a dead silo writes no heartbeats");
        cluster.Network.ProbesSent(C, A).Should().Be(probes, "a dead silo probes no one");
        (await cluster.ReadEntryAsync(C)).Status.Should().Be(SiloStatus.Dead);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(31, false)]
    public async Task A_vote_counts_only_until_it_expires(int secondsBetweenVotes, bool declaredDead)
    {
        await using var cluster = new TestCluster(output);
        var (a, _, _) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));

        cluster.Network.Cut(A, C);
        await cluster.AdvanceAsync(cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval);
        cluster.Network.Heal(A, C);
        var firstVote = (await cluster.ReadEntryAsync(C)).Suspicions.Should().ContainSingle().Subject;
        firstVote.Voter.Should().Be(A);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(secondsBetweenVotes) - (cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval));
        cluster.Network.Cut(B, C);
        await cluster.AdvanceAsync(cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval);
        await cluster.AdvanceAsync(cluster.Options.TableRefreshInterval);

        var entry = await cluster.ReadEntryAsync(C);
        (entry.Status == SiloStatus.Dead).Should().Be(declaredDead);
        a.IsDead(C).Should().Be(declaredDead);
        if (!declaredDead)
        {
            entry.Suspicions.Should().ContainSingle("A's expired vote was dropped when B voted").Which.Voter.Should().Be(B);
        }
    }

    [Fact]
    public async Task A_silo_whose_heartbeat_goes_stale_is_declared_dead_even_though_it_answers_probes()
    {
        await using var cluster = new TestCluster(output);
        var (a, _, frozen) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));
        var lastHeartbeat = (await cluster.ReadEntryAsync(C)).IAmAliveTime;

        await frozen.DisposeAsync();
        var detected = await cluster.AdvanceUntilAsync(() => a.IsDead(C), TimeSpan.FromSeconds(60));

        detected.Should().NotBeNull();
        var deadAt = cluster.Clock.GetUtcNow();
        var threshold = cluster.Options.IAmAliveStalenessThreshold;
        (deadAt - lastHeartbeat).Should().BeGreaterThan(threshold).And.BeLessThanOrEqualTo(threshold + (2 * cluster.Options.TableRefreshInterval));
        (await cluster.ReadEntryAsync(C)).Suspicions.Select(vote => vote.Voter).Should().BeEquivalentTo(new[] { A, B });
    }

    [Fact]
    public async Task When_two_of_three_silos_die_together_the_survivor_declares_both_dead_once_their_heartbeats_are_stale()
    {
        await using var cluster = new TestCluster(output);
        var (a, b, c) = Three(await cluster.StartSettledAsync(1001, 1002, 1003));
        var lastHeartbeat = (await cluster.ReadEntryAsync(C)).IAmAliveTime;

        foreach (var (agent, silo) in new[] { (b, B), (c, C) })
        {
            cluster.Network.StopAnswering(silo);
            await agent.DisposeAsync();
        }

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));
        a.IsDead(B).Should().BeFalse("alone, A has one of the two votes needed while the other silo still looks live");
        (await cluster.ReadEntryAsync(B)).Suspicions.Should().ContainSingle().Which.Voter.Should().Be(A);

        var detected = await cluster.AdvanceUntilAsync(() => a.IsDead(B) && a.IsDead(C), TimeSpan.FromSeconds(60));
        detected.Should().NotBeNull();
        (cluster.Clock.GetUtcNow() - lastHeartbeat).Should().BeLessThanOrEqualTo(cluster.Options.IAmAliveStalenessThreshold + (2 * cluster.Options.ProbeInterval));
        a.Current.Active.Select(entry => entry.Silo).Should().Equal(A);
    }

    [Fact]
    public async Task A_probe_that_never_answers_is_given_up_after_the_timeout_and_counts_as_missed()
    {
        await using var cluster = new TestCluster(output);
        var (a, _) = Two(await cluster.StartSettledAsync(1001, 1002));

        // Settling waits for probes, and these only end when the clock reaches their timeout: move the clock in
        // small steps without settling, giving the thread pool a moment each time.
        cluster.Network.HangProbesTo(B);
        var start = cluster.Clock.GetUtcNow();
        for (var step = 0; step < 400 && !a.IsDead(B); step++)
        {
            cluster.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        a.IsDead(B).Should().BeTrue();
        var elapsed = cluster.Clock.GetUtcNow() - start;
        elapsed.Should().BeGreaterThanOrEqualTo(cluster.Options.MissedProbesLimit * cluster.Options.ProbeTimeout, "each hanging probe takes its full timeout");
        (await cluster.ReadEntryAsync(B)).Suspicions.Should().ContainSingle().Which.Voter.Should().Be(A);
    }

    [Fact]
    public async Task Each_silo_probes_its_ring_successors_so_every_silo_is_probed_by_the_same_number_of_others()
    {
        await using var cluster = new TestCluster(output, new MembershipOptions { ProbedSilosPerSilo = 2 });
        var ports = new[] { 1005, 1001, 1004, 1002, 1003 };
        var agents = new List<MembershipAgent>();
        foreach (var port in ports)
        {
            agents.Add(await cluster.StartSiloAsync(port));
        }

        // Silos that joined early probed from a partial view until their first table refresh: count from later on.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));
        var before = ports.SelectMany(from => ports.Select(to => (from, to)))
            .ToDictionary(link => link, link => cluster.Network.ProbesSent(TestCluster.Address(link.from), TestCluster.Address(link.to)));
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));

        var byPort = agents.ToDictionary(agent => agent.LocalSilo.Address.Port);
        byPort[1001].ProbeTargets.Select(silo => silo.Port).Should().Equal(1002, 1003);
        byPort[1004].ProbeTargets.Select(silo => silo.Port).Should().Equal(1005, 1001);
        byPort[1005].ProbeTargets.Select(silo => silo.Port).Should().Equal(1001, 1002);
        foreach (var target in ports)
        {
            var probers = ports.Where(from => cluster.Network.ProbesSent(TestCluster.Address(from), TestCluster.Address(target)) - before[(from, target)] == 5).ToList();
            probers.Should().HaveCount(2, $"silo {target} is probed once a second by its two ring predecessors");
            ports.Sum(from => cluster.Network.ProbesSent(TestCluster.Address(from), TestCluster.Address(target)) - before[(from, target)]).Should().Be(10, "and by no one else");
        }
    }

    private static (MembershipAgent, MembershipAgent) Two(MembershipAgent[] agents) => (agents[0], agents[1]);

    private static (MembershipAgent, MembershipAgent, MembershipAgent) Three(MembershipAgent[] agents) => (agents[0], agents[1], agents[2]);
}
