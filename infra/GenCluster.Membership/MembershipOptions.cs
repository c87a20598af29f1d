namespace GenCluster.Membership;

/// <summary>
/// How the membership protocol detects failures. The defaults declare a <c>kill -9</c>'d silo dead within
/// a few seconds: three missed one-second probes, confirmed by a second voter when there is one.
/// </summary>
public sealed class MembershipOptions
{
    /// <summary>How often each silo probes each of its probe targets.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a joining silo keeps probing the active silos before it gives up joining: it becomes active only
    /// once every active silo with a fresh heartbeat has answered (a silo that died meanwhile drops out when it is
    /// declared dead or its heartbeat goes stale, so this must exceed the time those take).
    /// </summary>
    public TimeSpan InitialConnectivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many consecutive missed probes make a silo vote that its target is dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// How many fresh votes declare a silo dead; capped by the number of other live silos,
    /// so in a two-silo cluster the survivor's vote suffices.
    /// </summary>
    public int VotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Votes older than this no longer count, so unrelated blips far apart never add up to a death.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a silo writes its heartbeat (<see cref="MembershipEntry.IAmAliveTime"/>) to the table.</summary>
    public TimeSpan IAmAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo re-reads the table to see joins, deaths and votes against itself.</summary>
    public TimeSpan TableRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many other active silos each silo probes (its successors on a ring of sorted addresses).</summary>
    public int ProbedSilosPerSilo { get; set; } = 3;

    /// <summary>
    /// A silo whose heartbeat is older than this is a suspect even if no one probes it, and does not count as
    /// a live voter: three missed heartbeats plus the time probing needs to notice a failure.
    /// </summary>
    public TimeSpan IAmAliveStalenessThreshold => (3 * IAmAliveInterval) + (MissedProbesLimit * ProbeTimeout);

    /// <summary>
    /// How many times a compare-and-swap write is retried (re-reading the table each time) before it is
    /// given up until the next probe or refresh.
    /// </summary>
    public int MaxWriteAttempts { get; set; } = 8;
}
