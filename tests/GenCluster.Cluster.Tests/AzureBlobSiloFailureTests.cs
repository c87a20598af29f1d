using Azure.Storage.Blobs;
using GenCluster.Cluster.TestGrains;
using GenCluster.Membership;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;
using GenCluster.Storage.Azure;
using Xunit.Abstractions;

namespace GenCluster.Cluster.Tests;

/// <summary>
/// The silo failure contract with the membership table and grain state in Azure Blob Storage (Azurite): three silo
/// processes share one container, one is killed with SIGKILL, its counters re-activate elsewhere from their blobs.
/// </summary>
public sealed class AzureBlobSiloFailureTests(AzuriteClusterFixture cluster, ITestOutputHelper output)
    : SiloFailureContract<AzuriteClusterFixture>(cluster, output)
{
    protected override async Task CheckStoreAfterRecoveryAsync(string victimName, IReadOnlyDictionary<string, long> acknowledged)
    {
        var service = new BlobServiceClient(Cluster.Azurite.ConnectionString);

        // The silos' defaults: the table is CLUSTER/membership.json, states live under CLUSTER/grains/.
        var table = await new AzureBlobMembershipTable(service, AzuriteClusterFixture.Container, $"{ClusterFixture.ClusterId}/membership.json")
            .ReadAllAsync(CancellationToken.None);
        table.Rows.Select(row => row.Entry.SiloName).Should().Contain(["silo-0", "silo-1", "silo-2"]);
        table.Rows.Should().Contain(row => row.Entry.SiloName == victimName && row.Entry.Status == SiloStatus.Dead);

        var container = service.GetBlobContainerClient(AzuriteClusterFixture.Container);
        var states = new Dictionary<string, long>();
        await foreach (var blob in container.GetBlobsAsync(prefix: $"{ClusterFixture.ClusterId}/grains/"))
        {
            // CounterGrain's state "counter" of key K is TYPE/K/counter (our keys need no escaping).
            var parts = blob.Name.Split('/');
            if (parts is [_, "grains", _, var key, "counter"])
            {
                var bytes = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                var reader = new MessagePackReader(bytes);
                states[key] = Serializer<CounterState>.Instance.Deserialize(ref reader).Value;
            }
        }

        foreach (var (key, value) in acknowledged)
        {
            states.Should().ContainKey(key);
            states[key].Should().BeGreaterThanOrEqualTo(value, $"the blob of counter {key} holds every acknowledged increment");
        }
    }
}
