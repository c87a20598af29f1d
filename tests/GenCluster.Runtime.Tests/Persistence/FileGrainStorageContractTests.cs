using GenCluster.Runtime.Persistence;
using GenCluster.Testing;

namespace GenCluster.Runtime.Tests.Persistence;

/// <summary>The grain storage contract on files in a temporary folder.</summary>
public sealed class FileGrainStorageContractTests : GrainStorageContractTests, IDisposable
{
    private readonly TemporaryDirectory _directory = new("gencluster-storage-tests");

    public void Dispose() => _directory.Dispose();

    protected override IGrainStorage CreateStorage() => new FileGrainStorage(_directory.Path);
}
