using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>One silo's vote that another silo is dead, kept in the suspected silo's row.</summary>
/// <param name="Voter">The silo that could not reach the suspect.</param>
/// <param name="Time">When the vote was cast (the voter's clock); votes older than
/// <see cref="MembershipOptions.DeathVoteExpiration"/> no longer count.</param>
public sealed record SuspectVote(SiloAddress Voter, DateTimeOffset Time);
