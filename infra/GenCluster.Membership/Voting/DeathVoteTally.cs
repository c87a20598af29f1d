using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// The arithmetic of death declaration: which votes are fresh, how many are needed, and what a voter writes.
/// Pure functions of a table read and the time, so a retried compare-and-swap decides again from scratch.
/// </summary>
internal static class DeathVoteTally
{
    /// <summary>Whether <paramref name="entry"/>'s heartbeat is so old that the silo is a suspect and no live voter.</summary>
    public static bool IsIAmAliveStale(MembershipEntry entry, DateTimeOffset now, MembershipOptions options) =>
        now - entry.IAmAliveTime > options.IAmAliveStalenessThreshold;

    /// <summary>Whether <paramref name="vote"/> still counts: it is not older than <see cref="MembershipOptions.DeathVoteExpiration"/>.</summary>
    public static bool IsFresh(SuspectVote vote, DateTimeOffset now, MembershipOptions options) =>
        now - vote.Time <= options.DeathVoteExpiration;

    /// <summary>
    /// How many fresh votes declare <paramref name="suspect"/> dead: <see cref="MembershipOptions.VotesForDeathDeclaration"/>,
    /// capped by the number of other live silos (active, heartbeat not stale, the voter always included), at least one.
    /// The cap lets the survivor of a two-silo cluster act alone; not counting stale silos lets the survivors of a
    /// multi-silo failure reach the count.
    /// </summary>
    public static int RequiredVotes(MembershipTableSnapshot table, SiloAddress suspect, SiloAddress voter, DateTimeOffset now, MembershipOptions options)
    {
        var liveVoters = table.Rows.Count(row =>
            row.Entry.Status == SiloStatus.Active
            && row.Entry.Silo != suspect
            && (row.Entry.Silo == voter || !IsIAmAliveStale(row.Entry, now, options)));
        return Math.Max(1, Math.Min(options.VotesForDeathDeclaration, liveVoters));
    }

    /// <summary>
    /// What <paramref name="voter"/> writes into <paramref name="suspect"/>'s row: its vote timestamped
    /// <paramref name="now"/> among the other fresh votes (expired ones are dropped), and status
    /// <see cref="SiloStatus.Dead"/> when they are enough. A vote of the voter's that is younger than half the
    /// expiration is not refreshed, so a long-unreachable suspect does not cost a write every probe.
    /// </summary>
    public static DeathVoteDecision Decide(MembershipTableSnapshot table, MembershipEntry suspect, SiloAddress voter, DateTimeOffset now, MembershipOptions options)
    {
        // One vote a voter, its latest: a table written by a careless hand must not count a voter twice.
        var others = suspect.Suspicions
            .Where(vote => vote.Voter != voter && vote.Voter != suspect.Silo && IsFresh(vote, now, options))
            .GroupBy(vote => vote.Voter)
            .Select(votes => votes.MaxBy(vote => vote.Time)!)
            .ToList();
        var required = RequiredVotes(table, suspect.Silo, voter, now, options);
        var votes = others.Count + 1;
        if (votes >= required)
        {
            var dead = suspect with { Status = SiloStatus.Dead, Suspicions = [.. others, new SuspectVote(voter, now)] };
            return new DeathVoteDecision(DeathVoteOutcome.DeclareDead, dead, votes, required);
        }

        var mine = suspect.Suspicions.FirstOrDefault(vote => vote.Voter == voter);
        if (mine is not null && now - mine.Time < options.DeathVoteExpiration / 2)
        {
            return new DeathVoteDecision(DeathVoteOutcome.AlreadyVoted, null, votes, required);
        }

        var suspected = suspect with { Suspicions = [.. others, new SuspectVote(voter, now)] };
        return new DeathVoteDecision(DeathVoteOutcome.AddVote, suspected, votes, required);
    }
}
