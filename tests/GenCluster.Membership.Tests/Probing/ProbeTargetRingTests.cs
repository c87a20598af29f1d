using GenCluster.Membership.Tests.Support;
using GenCluster.Runtime;

namespace GenCluster.Membership.Tests.Probing;

/// <summary>Probe targets: ring successors on sorted addresses, wrapping, never oneself, evenly spread.</summary>
public sealed class ProbeTargetRingTests
{
    [Fact]
    public void A_silo_probes_its_successors_wrapping_around_the_ring()
    {
        var silos = new[] { 5, 3, 1, 4, 2 }.Select(port => Rows.Silo(port)).ToList();

        Ports(ProbeTargetRing.SelectTargets(silos, Rows.Silo(2), 3)).Should().Equal(3, 4, 5);
        Ports(ProbeTargetRing.SelectTargets(silos, Rows.Silo(4), 3)).Should().Equal(5, 1, 2);
    }

    [Fact]
    public void With_fewer_other_silos_than_wanted_it_probes_all_of_them_and_never_itself()
    {
        var silos = new[] { Rows.Silo(1), Rows.Silo(2) };

        Ports(ProbeTargetRing.SelectTargets(silos, Rows.Silo(1), 3)).Should().Equal(2);
        ProbeTargetRing.SelectTargets([Rows.Silo(1)], Rows.Silo(1), 3).Should().BeEmpty();
        ProbeTargetRing.SelectTargets([], Rows.Silo(1), 3).Should().BeEmpty();
    }

    [Fact]
    public void A_silo_not_yet_in_the_active_set_takes_its_place_on_the_ring()
    {
        var silos = new[] { 1, 2, 4, 5 }.Select(port => Rows.Silo(port));

        Ports(ProbeTargetRing.SelectTargets(silos, Rows.Silo(3), 2)).Should().Equal(4, 5);
    }

    [Fact]
    public void Every_silo_is_probed_by_exactly_as_many_silos_as_each_probes()
    {
        var silos = Enumerable.Range(0, 10).Select(i => new SiloAddress($"127.0.0.{1 + (i % 3)}", 30000 + i, 100 - i)).ToList();

        var probedBy = silos
            .SelectMany(self => ProbeTargetRing.SelectTargets(silos, self, 3))
            .GroupBy(target => target)
            .ToDictionary(group => group.Key, group => group.Count());

        probedBy.Should().HaveCount(10);
        probedBy.Values.Should().AllSatisfy(count => count.Should().Be(3));
    }

    [Fact]
    public void Generations_of_one_endpoint_are_ordered_by_generation()
    {
        var older = new SiloAddress("127.0.0.1", 1, 5);
        var newer = new SiloAddress("127.0.0.1", 1, 6);

        SiloAddressComparer.Instance.Compare(older, newer).Should().BeNegative();
        SiloAddressComparer.Instance.Compare(new SiloAddress("127.0.0.1", 2, 0), newer).Should().BePositive();
        SiloAddressComparer.Instance.Compare(new SiloAddress("127.0.0.2", 1, 0), newer).Should().BePositive();
    }

    private static IEnumerable<int> Ports(IEnumerable<SiloAddress> silos) => silos.Select(silo => silo.Port);
}
