using GenCluster.Membership.Tests.Support;
using GenCluster.Runtime;
using Xunit.Abstractions;

namespace GenCluster.Membership.Tests.Agent;

/// <summary>
/// A joining silo becomes active only when it can reach every active silo (Orleans' initial connectivity
/// validation), so a silo with a wrong secret or a blocked port never takes grains. On the manual clock.
/// </summary>
public sealed class InitialConnectivityTests(ITestOutputHelper output)
{
    private static readonly SiloAddress A = TestCluster.Address(1001);
    private static readonly SiloAddress B = TestCluster.Address(1002);
    private static readonly SiloAddress C = TestCluster.Address(1003);

    [Fact]
    public async Task A_silo_that_cannot_reach_an_active_silo_never_becomes_active_and_gives_up_naming_it()
    {
        var table = new RecordingMembershipTable();
        await using var cluster = new TestCluster(output, table: table);
        await cluster.StartSettledAsync(1001);
        cluster.Network.Cut(B, A);

        var join = cluster.CreateAgent(1002).JoinAsync(CancellationToken.None);
        await cluster.AdvanceUntilAsync(() => join.IsCompleted, cluster.Options.InitialConnectivityTimeout + TimeSpan.FromSeconds(5));

        join.IsCompleted.Should().BeTrue("the join gives up once A declares the silent joining row dead, or at the latest at the timeout");
        var error = await FluentActions.Awaiting(() => join).Should().ThrowAsync<InvalidOperationException>();
        error.Which.Message.Should().Contain(A.ToString()).And.Contain("did not become active");
        table.StatusesWritten(B).Should().StartWith(SiloStatus.Joining).And.NotContain(SiloStatus.Active, "it never wrote itself active (A votes the silent row dead)");
        cluster.Network.ProbesSent(B, A).Should().BeGreaterThan(10, "it kept probing, once per probe interval, before giving up");
        cluster.Clock.Elapsed.Should().BeLessThan(cluster.Options.InitialConnectivityTimeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_joining_silo_waits_for_a_crashed_silo_to_be_declared_dead_then_becomes_active()
    {
        await using var cluster = new TestCluster(output);
        var agents = await cluster.StartSettledAsync(1001, 1002);
        cluster.Network.StopAnswering(B);
        await agents[1].DisposeAsync();

        var joining = cluster.CreateAgent(1003);
        var join = joining.JoinAsync(CancellationToken.None);
        var joined = await cluster.AdvanceUntilAsync(() => join.IsCompleted, cluster.Options.InitialConnectivityTimeout);

        joined.Should().NotBeNull("B is declared dead by A's votes well within the timeout");
        await join;
        (await cluster.ReadEntryAsync(B)).Status.Should().Be(SiloStatus.Dead);
        (await cluster.ReadEntryAsync(C)).Status.Should().Be(SiloStatus.Active);
        joined!.Value.Should().BeGreaterThanOrEqualTo(cluster.Options.MissedProbesLimit * cluster.Options.ProbeInterval,
            "C could not become active while B still counted as active");
        joining.Current.Active.Select(entry => entry.Silo).Should().Equal(A, C);
    }

    [Fact]
    public async Task A_silo_that_reaches_every_active_silo_joins_without_waiting()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartSettledAsync(1001, 1002);
        var before = cluster.Clock.GetUtcNow();

        await cluster.StartSiloAsync(1003);

        cluster.Clock.GetUtcNow().Should().Be(before);
        cluster.Network.ProbesSent(C, A).Should().Be(1);
        cluster.Network.ProbesSent(C, B).Should().Be(1);
        (await cluster.ReadEntryAsync(C)).Status.Should().Be(SiloStatus.Active);
    }
}
