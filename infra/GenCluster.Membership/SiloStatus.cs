namespace GenCluster.Membership;

/// <summary>
/// Where a silo is in its life, as recorded in the membership table. A silo only ever moves forward:
/// <see cref="Joining"/> → <see cref="Active"/> → <see cref="ShuttingDown"/> → <see cref="Dead"/>
/// (a failed silo jumps straight to <see cref="Dead"/>, declared by its peers' votes).
/// </summary>
public enum SiloStatus
{
    /// <summary>No status: the silo has no row in the table.</summary>
    None = 0,

    /// <summary>The silo has written its row and is starting; it takes no grains yet.</summary>
    Joining = 1,

    /// <summary>The silo is a full member: it hosts grains, probes peers and may vote.</summary>
    Active = 2,

    /// <summary>The silo is leaving gracefully; no new grains should be placed on it.</summary>
    ShuttingDown = 3,

    /// <summary>The silo is gone (left, or declared dead by votes). Final: it never comes back under this generation.</summary>
    Dead = 4,
}
