using GenCluster.Membership.Tests.Support;
using GenCluster.Runtime;

namespace GenCluster.Membership.Tests.Voting;

/// <summary>The vote arithmetic on its own: fresh votes, the required count and its caps, what a voter writes.</summary>
public sealed class DeathVoteTallyTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MembershipOptions Options = new();
    private static readonly SiloAddress Voter = Rows.Silo(1);
    private static readonly SiloAddress Suspect = Rows.Silo(9);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(6, 2)]
    public void Required_votes_are_capped_by_the_other_live_silos(int activeSilos, int required)
    {
        var table = Table(Enumerable.Range(1, activeSilos - 1).Select(port => Live(port)).Append(Live(9)));

        DeathVoteTally.RequiredVotes(table, Suspect, Voter, Now, Options).Should().Be(required);
    }

    [Fact]
    public void Silos_that_are_not_active_or_whose_heartbeat_is_stale_are_not_live_voters()
    {
        var stale = Now - Options.IAmAliveStalenessThreshold - TimeSpan.FromSeconds(1);
        var table = Table([
            Live(1),
            Live(2) with { IAmAliveTime = stale },
            Live(3) with { Status = SiloStatus.Joining },
            Live(4) with { Status = SiloStatus.ShuttingDown },
            Live(5) with { Status = SiloStatus.Dead },
            Live(9)]);

        DeathVoteTally.RequiredVotes(table, Suspect, Voter, Now, Options).Should().Be(1);
    }

    [Fact]
    public void The_voter_counts_as_live_even_if_its_own_heartbeat_looks_stale()
    {
        var table = Table([Live(1) with { IAmAliveTime = Now - TimeSpan.FromMinutes(5) }, Live(2), Live(9)]);

        DeathVoteTally.RequiredVotes(table, Suspect, Voter, Now, Options).Should().Be(2);
    }

    [Fact]
    public void A_first_vote_short_of_the_count_is_added_with_the_voters_time()
    {
        var table = Table([Live(1), Live(2), Live(9)]);

        var decision = DeathVoteTally.Decide(table, Live(9), Voter, Now, Options);

        decision.Outcome.Should().Be(DeathVoteOutcome.AddVote);
        decision.UpdatedEntry!.Status.Should().Be(SiloStatus.Active);
        decision.UpdatedEntry.Suspicions.Should().Equal(new SuspectVote(Voter, Now));
        (decision.FreshVotes, decision.RequiredVotes).Should().Be((1, 2));
    }

    [Fact]
    public void The_vote_that_reaches_the_count_declares_the_suspect_dead()
    {
        var other = new SuspectVote(Rows.Silo(2), Now - TimeSpan.FromSeconds(29));
        var table = Table([Live(1), Live(2), Live(9)]);

        var decision = DeathVoteTally.Decide(table, Live(9) with { Suspicions = [other] }, Voter, Now, Options);

        decision.Outcome.Should().Be(DeathVoteOutcome.DeclareDead);
        decision.UpdatedEntry!.Status.Should().Be(SiloStatus.Dead);
        decision.UpdatedEntry.Suspicions.Should().BeEquivalentTo(new[] { other, new SuspectVote(Voter, Now) });
    }

    [Fact]
    public void Expired_votes_neither_count_nor_survive_the_next_write()
    {
        var expired = new SuspectVote(Rows.Silo(2), Now - Options.DeathVoteExpiration - TimeSpan.FromSeconds(1));
        var table = Table([Live(1), Live(2), Live(9)]);

        var decision = DeathVoteTally.Decide(table, Live(9) with { Suspicions = [expired] }, Voter, Now, Options);

        decision.Outcome.Should().Be(DeathVoteOutcome.AddVote);
        decision.UpdatedEntry!.Suspicions.Should().Equal(new SuspectVote(Voter, Now));
    }

    [Fact]
    public void A_recent_own_vote_is_not_rewritten_but_an_older_one_is_refreshed()
    {
        var table = Table([Live(1), Live(2), Live(9)]);
        var recent = Live(9) with { Suspicions = [new SuspectVote(Voter, Now - TimeSpan.FromSeconds(10))] };
        var older = Live(9) with { Suspicions = [new SuspectVote(Voter, Now - TimeSpan.FromSeconds(20))] };

        DeathVoteTally.Decide(table, recent, Voter, Now, Options).Outcome.Should().Be(DeathVoteOutcome.AlreadyVoted);
        var refreshed = DeathVoteTally.Decide(table, older, Voter, Now, Options);
        refreshed.Outcome.Should().Be(DeathVoteOutcome.AddVote);
        refreshed.UpdatedEntry!.Suspicions.Should().Equal(new SuspectVote(Voter, Now));
    }

    [Fact]
    public void Repeated_votes_of_one_voter_count_once()
    {
        var table = Table([Live(1), Live(2), Live(3), Live(9)]);
        var latest = new SuspectVote(Rows.Silo(2), Now - TimeSpan.FromSeconds(5));
        var suspect = Live(9) with { Suspicions = [new SuspectVote(Rows.Silo(2), Now - TimeSpan.FromSeconds(20)), latest] };
        var options = new MembershipOptions { VotesForDeathDeclaration = 3 };

        var decision = DeathVoteTally.Decide(table, suspect, Voter, Now, options);

        decision.Outcome.Should().Be(DeathVoteOutcome.AddVote, "silo 2 and the voter are two voters, not three");
        decision.FreshVotes.Should().Be(2);
        decision.UpdatedEntry!.Suspicions.Should().BeEquivalentTo(new[] { latest, new SuspectVote(Voter, Now) });
    }

    private static MembershipEntry Live(int port) => Rows.Entry(port, SiloStatus.Active) with { IAmAliveTime = Now };

    private static MembershipTableSnapshot Table(IEnumerable<MembershipEntry> entries) =>
        new(7, [.. entries.Select(entry => new MembershipRow(entry, "etag"))]);
}
