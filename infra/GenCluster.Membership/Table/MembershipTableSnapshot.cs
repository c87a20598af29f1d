using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>Every row of the membership table as of one table version.</summary>
/// <param name="Version">Bumped by every insert and update (not by heartbeats); 0 for an empty, never-written table.</param>
/// <param name="Rows">The rows, one a silo.</param>
public sealed record MembershipTableSnapshot(long Version, IReadOnlyList<MembershipRow> Rows)
{
    /// <summary>The row of <paramref name="silo"/>, or null when it has none.</summary>
    public MembershipRow? Find(SiloAddress silo)
    {
        foreach (var row in Rows)
        {
            if (row.Entry.Silo == silo)
            {
                return row;
            }
        }

        return null;
    }
}
