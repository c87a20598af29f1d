using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GenCluster.Storage.Azure;
using GenCluster.Storage.Tests.Contract;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Tests.AzureBlob;

/// <summary>The contract against Azure Blob Storage as Azurite serves it; each test writes to a container of its own.</summary>
public sealed class AzureBlobObjectStoreContractTests(AzuriteFixture azurite) : ObjectStoreContractTests, IClassFixture<AzuriteFixture>
{
    private readonly List<string> _containers = [];

    internal static AzureBlobObjectStore CreateStore(AzuriteProcess azurite, string container, int blockSize = 8 << 20) =>
        new(
            Options.Create(new AzureBlobObjectStoreOptions { ConnectionString = azurite.ConnectionString, ContainerName = container, BlockSize = blockSize }),
            NullLogger<AzureBlobObjectStore>.Instance,
            TimeProvider.System);

    protected override Task<IObjectStore> CreateStoreAsync()
    {
        var container = AzuriteFixture.NewContainerName();
        _containers.Add(container);
        // Small blocks, so the 3 MB objects of the corruption tests are staged in several blocks too.
        return Task.FromResult<IObjectStore>(CreateStore(azurite.Azurite, container, blockSize: 1 << 20));
    }

    protected override async Task AlterStoredBytesAsync(IObjectStore store, string name, Func<byte[], byte[]> alter)
    {
        // Behind the store's back, with the SDK directly: new bytes, the old metadata (SHA-256 and length).
        var container = new BlobServiceClient(azurite.Azurite.ConnectionString).GetBlobContainerClient(_containers[^1]);
        var blob = container.GetBlobClient(name);
        var stored = (await blob.DownloadContentAsync()).Value;
        var metadata = stored.Details.Metadata;
        var altered = alter(stored.Content.ToArray());
        await blob.UploadAsync(new BinaryData(altered), new BlobUploadOptions { Metadata = metadata });
    }

    [Fact]
    public async Task A_blob_written_without_a_recorded_sha256_is_refused()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("placeholder", new MemoryStream([0]), WriteCondition.None, CancellationToken.None);
        var blob = new BlobServiceClient(azurite.Azurite.ConnectionString).GetBlobContainerClient(_containers[^1]).GetBlobClient("foreign");
        await blob.UploadAsync(new BinaryData(new byte[] { 1, 2, 3 }));

        var open = () => store.OpenReadAsync("foreign", CancellationToken.None);

        await open.Should().ThrowAsync<ObjectCorruptedException>();
    }
}
