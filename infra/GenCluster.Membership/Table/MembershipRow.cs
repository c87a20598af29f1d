namespace GenCluster.Membership;

/// <summary>A row of the membership table together with the ETag a compare-and-swap of it must present.</summary>
/// <param name="Entry">The row's content.</param>
/// <param name="ETag">Changes on every write of the row.</param>
public sealed record MembershipRow(MembershipEntry Entry, string ETag);
