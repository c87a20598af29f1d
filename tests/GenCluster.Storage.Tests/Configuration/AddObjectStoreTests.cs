using GenCluster.Storage.Azure;
using GenCluster.Storage.FileSystem;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Tests.Configuration;

public sealed class AddObjectStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_file_provider_is_the_default_and_takes_its_folder_from_configuration()
    {
        using var root = new TemporaryDirectory("object-store-di");
        await using var services = Build(new() { ["ObjectStore:FileSystem:RootDirectory"] = root.Path });

        var store = services.GetRequiredService<IObjectStore>();

        store.Should().BeOfType<FileSystemObjectStore>().Which.RootDirectory.Should().Be(root.Path);
        await store.PutAsync("x/y", new MemoryStream([1, 2]), WriteCondition.IfNoneExists, CancellationToken.None);
        File.Exists(Path.Combine(root.Path, "x", "y")).Should().BeTrue();
    }

    [Fact]
    public async Task The_azure_provider_connects_with_the_configured_connection_string_and_container()
    {
        var container = AzuriteFixture.NewContainerName("di");
        await using var services = Build(new()
        {
            ["ObjectStore:Provider"] = "Azure",
            ["ObjectStore:Azure:ConnectionString"] = azurite.Azurite.ConnectionString,
            ["ObjectStore:Azure:ContainerName"] = container,
            ["ObjectStore:Azure:BlockSize"] = "1048576",
        });

        var store = services.GetRequiredService<IObjectStore>();
        var written = await store.PutAsync("x/y", new MemoryStream(new byte[3 << 20]), WriteCondition.IfNoneExists, CancellationToken.None);

        store.Should().BeOfType<AzureBlobObjectStore>().Which.Location.Should().EndWith("/" + container);
        (await store.GetPropertiesAsync("x/y", CancellationToken.None)).Should().Be(written);
    }

    [Fact]
    public async Task An_azure_store_without_connection_string_or_endpoint_is_refused_naming_the_keys()
    {
        await using var services = Build(new() { ["ObjectStore:Provider"] = "azure", ["ObjectStore:Azure:ContainerName"] = "Bad_Name" });

        var resolve = () => services.GetRequiredService<IObjectStore>();

        var refused = resolve.Should().Throw<OptionsValidationException>().Which;
        refused.Message.Should().Contain("ConnectionString or ServiceUri").And.Contain("ContainerName 'Bad_Name'");
    }

    [Fact]
    public void An_unknown_provider_is_refused()
    {
        var add = () => Build(new() { ["ObjectStore:Provider"] = "s3" });

        add.Should().Throw<ArgumentException>().WithMessage("*'s3' is unknown*");
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddObjectStore(configuration.GetSection(ObjectStoreOptions.SectionName))
            .BuildServiceProvider();
    }
}
