using GenCluster.Membership;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.GrainDirectory;
using GenCluster.Runtime.Tests.Support;
using static GenCluster.Runtime.Tests.Support.Views;

namespace GenCluster.Runtime.Tests.GrainDirectory;

public sealed class GrainDirectoryPartitionTests
{
    private static readonly GrainId Grain = new("shard", "exp/1");

    private readonly ClusterMembership _membership = new();
    private readonly GrainDirectoryPartition _partition;

    public GrainDirectoryPartitionTests()
    {
        _membership.Update(Snapshot(1, Entry(1), Entry(2), Entry(3)));
        _partition = new GrainDirectoryPartition(_membership);
    }

    [Fact]
    public void The_first_registration_wins()
    {
        var first = new GrainAddress(Grain, Silo(1), 1);

        _partition.Register(first).Should().Be(first);
        _partition.Register(new GrainAddress(Grain, Silo(2), 7)).Should().Be(first);
        _partition.Lookup(Grain).Should().Be(first);
    }

    [Fact]
    public void A_silo_registering_again_replaces_its_own_entry()
    {
        _partition.Register(new GrainAddress(Grain, Silo(1), 1));
        var newer = new GrainAddress(Grain, Silo(1), 2);

        _partition.Register(newer).Should().Be(newer);
    }

    [Fact]
    public void An_entry_of_a_dead_silo_is_replaced_and_dropped_when_membership_says_so()
    {
        _partition.Register(new GrainAddress(Grain, Silo(3), 1));
        var other = new GrainId("shard", "exp/2");
        _partition.Register(new GrainAddress(other, Silo(3), 2));

        _membership.Update(Snapshot(2, Entry(1), Entry(2), Entry(3, SiloStatus.Dead)));

        _partition.Lookup(other).Should().BeNull();
        var replacement = new GrainAddress(Grain, Silo(2), 5);
        _partition.Register(replacement).Should().Be(replacement);
    }

    [Fact]
    public void Unregistering_removes_only_the_exact_activation()
    {
        var current = new GrainAddress(Grain, Silo(1), 2);
        _partition.Register(current);

        _partition.Unregister(new GrainAddress(Grain, Silo(1), 1));
        _partition.Lookup(Grain).Should().Be(current);

        _partition.Unregister(current);
        _partition.Lookup(Grain).Should().BeNull();
    }

    [Fact]
    public void A_view_knows_dead_silos_and_newer_incarnations()
    {
        var view = Views.Of(Entry(1), Entry(2, SiloStatus.Dead));
        var restarted = new SiloAddress(Silo(1).Host, Silo(1).Port, Silo(1).Generation - 1);

        view.IsDead(Silo(2)).Should().BeTrue();
        view.IsDead(Silo(1)).Should().BeFalse();
        view.IsDead(restarted).Should().BeTrue("a newer generation on the same endpoint supersedes it");
        view.IsDead(Silo(9)).Should().BeFalse("a silo not in the table yet may be joining");
        view.ActiveSilos.Should().ContainSingle().Which.SiloName.Should().Be("silo-1");
    }
}
