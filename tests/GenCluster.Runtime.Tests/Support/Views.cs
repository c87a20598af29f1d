using GenCluster.Membership;
using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.Tests.Support;

/// <summary>Membership views built by hand, for directory and placement tests.</summary>
internal static class Views
{
    public static SiloAddress Silo(int n) => new("127.0.0.1", 30000 + n, 1000 + n);

    public static MembershipEntry Entry(int n, SiloStatus status = SiloStatus.Active) =>
        new(Silo(n), $"silo-{n}", status, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, [], new Dictionary<string, string>());

    public static ClusterView Of(params MembershipEntry[] entries) => Of(1, entries);

    public static ClusterView Of(long version, params MembershipEntry[] entries) =>
        ClusterView.From(new MembershipSnapshot(version, entries.ToDictionary(e => e.Silo)));

    public static MembershipSnapshot Snapshot(long version, params MembershipEntry[] entries) =>
        new(version, entries.ToDictionary(e => e.Silo));
}
