namespace GenCluster.Membership;

/// <summary>What a voter should write after weighing the votes against a suspect.</summary>
internal enum DeathVoteOutcome
{
    /// <summary>The voter's own vote is fresh and the votes are not enough yet: nothing to write.</summary>
    AlreadyVoted,

    /// <summary>Write the row with the voter's (new or refreshed) vote; not enough votes to declare death.</summary>
    AddVote,

    /// <summary>With the voter's vote there are enough: write the row as <see cref="SiloStatus.Dead"/>.</summary>
    DeclareDead,
}

/// <summary>The outcome, the suspect's row to write (null for <see cref="DeathVoteOutcome.AlreadyVoted"/>) and the count behind it.</summary>
internal sealed record DeathVoteDecision(DeathVoteOutcome Outcome, MembershipEntry? UpdatedEntry, int FreshVotes, int RequiredVotes);
