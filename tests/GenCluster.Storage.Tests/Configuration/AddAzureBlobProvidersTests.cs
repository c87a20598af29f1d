using Azure.Storage.Blobs;
using GenCluster.Membership;
using GenCluster.Runtime;
using GenCluster.Storage.Azure;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Tests.Configuration;

/// <summary>The blob grain storage and membership table resolve from configuration over the client of the shared connection.</summary>
public sealed class AddAzureBlobProvidersTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Grain_storage_and_membership_table_resolve_from_the_connection_section_and_write_where_configured()
    {
        var container = AzuriteFixture.NewContainerName("providers");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Azure:ConnectionString"] = azurite.Azurite.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddAzureBlobConnection(configuration.GetSection("Azure"))
            .AddAzureBlobMembershipTable(table => (table.ContainerName, table.BlobName) = (container, "c1/membership.json"))
            .AddAzureBlobGrainStorage("Default", storage => (storage.ContainerName, storage.Prefix) = (container, "c1/grains/"))
            .BuildServiceProvider();

        var table = services.GetRequiredService<IMembershipTable>().Should().BeOfType<AzureBlobMembershipTable>().Subject;
        var storage = services.GetRequiredKeyedService<IGrainStorage>("Default").Should().BeOfType<AzureBlobGrainStorage>().Subject;
        (await table.InsertRowAsync(new MembershipEntry(new SiloAddress("127.0.0.1", 1, 1), "s", SiloStatus.Joining, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, [], new Dictionary<string, string>()), 0, default)).Should().BeTrue();
        await storage.WriteAsync(new GrainId("t", "k"), "s", new byte[] { 1 }, null, default);

        var names = new List<string>();
        await foreach (var blob in services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(container).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        names.Should().Equal("c1/grains/t/k/s", "c1/membership.json");
    }

    [Fact]
    public async Task A_connection_without_connection_string_or_service_uri_is_refused_naming_the_section()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddAzureBlobConnection(new ConfigurationBuilder().Build().GetSection("Azure"))
            .BuildServiceProvider();

        var resolve = () => services.GetRequiredService<IOptions<AzureBlobConnectionOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().WithMessage("*Azure needs ConnectionString or ServiceUri*");
    }
}
