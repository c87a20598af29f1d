using GenCluster.Runtime.Persistence;

namespace GenCluster.Runtime.Tests.Persistence;

/// <summary>The grain storage contract, held in memory.</summary>
public sealed class MemoryGrainStorageContractTests : GrainStorageContractTests
{
    protected override IGrainStorage CreateStorage() => new MemoryGrainStorage();
}
