namespace GenCluster.Membership.Tests.Table;

/// <summary>The table contract, held in memory.</summary>
public sealed class InMemoryMembershipTableTests : MembershipTableContractTests
{
    protected override IMembershipTable CreateTable() => new InMemoryMembershipTable();
}
