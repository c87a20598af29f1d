using GenCluster.Runtime.Cluster;
using static GenCluster.Runtime.Tests.Support.Views;

namespace GenCluster.Runtime.Tests.GrainDirectory;

public sealed class ConsistentHashRingTests
{
    private static readonly GrainId[] Grains = Enumerable.Range(0, 2000).Select(i => new GrainId("g", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    [Fact]
    public void Every_grain_has_one_owner_and_owners_share_the_load()
    {
        var ring = new ConsistentHashRing([Silo(1), Silo(2), Silo(3)]);

        var owners = Grains.Select(g => ring.Owner(g)!.Value).ToList();

        owners.GroupBy(o => o).Should().HaveCount(3).And.OnlyContain(group => group.Count() > 400);
        new ConsistentHashRing([Silo(3), Silo(1), Silo(2)]).Owner(Grains[17]).Should().Be(owners[17], "the order silos are listed in does not matter");
    }

    [Fact]
    public void Adding_a_silo_moves_only_the_grains_it_takes_over()
    {
        var before = new ConsistentHashRing([Silo(1), Silo(2), Silo(3)]);
        var after = new ConsistentHashRing([Silo(1), Silo(2), Silo(3), Silo(4)]);

        var moved = Grains.Where(g => before.Owner(g) != after.Owner(g)).ToList();

        moved.Should().OnlyContain(g => after.Owner(g) == Silo(4));
        moved.Count.Should().BeInRange(Grains.Length / 8, Grains.Length / 2);
    }

    [Fact]
    public void An_empty_ring_has_no_owner()
    {
        new ConsistentHashRing([]).Owner(Grains[0]).Should().BeNull();
    }

    [Fact]
    public void The_stable_hash_is_pinned_so_silos_of_every_process_and_version_agree()
    {
        // FNV-1a 64 of the UTF-8 bytes, then the MurmurHash3 finalizer; values checked independently (Python).
        StableHash.Compute("parametershard/exp42/G/3").Should().Be(0x6C69CBE4C56FF1E3UL);
        StableHash.Compute(string.Empty).Should().Be(0xEFD01F60BA992926UL);
    }
}
