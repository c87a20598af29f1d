using GenCluster.Membership;
using Xunit.Abstractions;

namespace GenCluster.Cluster.Tests;

/// <summary>The silo failure contract with the membership table in a file and grain state in a folder.</summary>
public sealed class SiloFailureTests(ClusterFixture cluster, ITestOutputHelper output) : SiloFailureContract<ClusterFixture>(cluster, output)
{
    protected override async Task CheckStoreAfterRecoveryAsync(string victimName, IReadOnlyDictionary<string, long> acknowledged)
    {
        var table = await new FileMembershipTable(Cluster.MembershipFile).ReadAllAsync(CancellationToken.None);

        table.Rows.Should().Contain(row => row.Entry.SiloName == victimName && row.Entry.Status == SiloStatus.Dead);
    }
}
