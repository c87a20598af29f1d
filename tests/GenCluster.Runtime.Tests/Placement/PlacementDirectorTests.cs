using GenCluster.Membership;
using GenCluster.Runtime.Placement;
using GenCluster.Runtime.Tests.Support;
using static GenCluster.Runtime.Tests.Support.Views;

namespace GenCluster.Runtime.Tests.Placement;

public sealed class PlacementDirectorTests
{
    private static readonly HashSet<SiloAddress> None = [];

    private static IEnumerable<GrainId> Grains(int count) => Enumerable.Range(0, count).Select(i => new GrainId("shard", $"exp/{i}"));

    [Fact]
    public void Hash_placement_is_the_same_on_every_silo_and_spreads_grains()
    {
        var view = Views.Of(Entry(1), Entry(2), Entry(3));
        var reversed = Views.Of(Entry(3), Entry(2), Entry(1));
        var director = new HashBasedPlacementDirector();

        var placements = Grains(300).Select(g => director.Place(new PlacementTarget(g, Silo(1), None), view)).ToList();

        placements.Should().Equal(Grains(300).Select(g => director.Place(new PlacementTarget(g, Silo(2), None), reversed)));
        placements.GroupBy(s => s).Should().HaveCount(3).And.OnlyContain(group => group.Count() > 50);
    }

    [Fact]
    public void When_a_silo_leaves_only_its_grains_move()
    {
        var director = new HashBasedPlacementDirector();
        var before = Views.Of(Entry(1), Entry(2), Entry(3));
        var after = Views.Of(Entry(1), Entry(2), Entry(3, SiloStatus.Dead));

        foreach (var grain in Grains(300))
        {
            var was = director.Place(new PlacementTarget(grain, null, None), before);
            var now = director.Place(new PlacementTarget(grain, null, None), after);
            if (was != Silo(3))
            {
                now.Should().Be(was);
            }
            else
            {
                now.Should().NotBe(Silo(3));
            }
        }
    }

    [Fact]
    public void Hash_placement_skips_excluded_silos_and_fails_clearly_with_none_left()
    {
        var director = new HashBasedPlacementDirector();
        var view = Views.Of(Entry(1), Entry(2));

        Grains(50).Select(g => director.Place(new PlacementTarget(g, null, new HashSet<SiloAddress> { Silo(1) }), view)).Should().OnlyContain(s => s == Silo(2));
        var none = () => director.Place(new PlacementTarget(new GrainId("shard", "x"), null, new HashSet<SiloAddress> { Silo(1), Silo(2) }), view);
        none.Should().Throw<SiloUnavailableException>().WithMessage("*no active silo*");
    }

    [Fact]
    public void Prefer_local_chooses_the_caller_while_it_is_active()
    {
        var director = new PreferLocalPlacementDirector();
        var view = Views.Of(Entry(1), Entry(2), Entry(3, SiloStatus.ShuttingDown));

        director.Place(new PlacementTarget(new GrainId("shard", "a"), Silo(2), None), view).Should().Be(Silo(2));
        director.Place(new PlacementTarget(new GrainId("shard", "a"), Silo(3), None), view).Should().NotBe(Silo(3));
    }

    [Fact]
    public void Pinned_placement_follows_the_silo_name_in_the_key()
    {
        var director = new PinnedPlacementDirector();
        var view = Views.Of(Entry(1), Entry(2), Entry(3, SiloStatus.Dead));

        director.Place(new PlacementTarget(new GrainId("gpuworker", "silo-2/cuda:0"), Silo(1), None), view).Should().Be(Silo(2));
        director.Place(new PlacementTarget(new GrainId("gpuworker", "silo-1"), Silo(2), None), view).Should().Be(Silo(1));
        var dead = () => director.Place(new PlacementTarget(new GrainId("gpuworker", "silo-3/cpu:0"), Silo(1), None), view);
        dead.Should().Throw<SiloUnavailableException>().WithMessage("*pinned to silo 'silo-3'*silo-1, silo-2*");
    }
}
