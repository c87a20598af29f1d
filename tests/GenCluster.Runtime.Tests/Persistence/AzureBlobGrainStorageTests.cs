using Azure.Storage.Blobs;
using GenCluster.Storage.Azure;
using GenCluster.Testing.Azurite;

namespace GenCluster.Runtime.Tests.Persistence;

/// <summary>
/// The grain storage contract on Azure Blob Storage as Azurite serves it (a container a test), plus what only blobs
/// can get wrong: names, races between silos (two storage instances), a container that does not exist yet.
/// </summary>
public sealed class AzureBlobGrainStorageTests(AzuriteFixture azurite) : GrainStorageContractTests, IClassFixture<AzuriteFixture>
{
    private readonly BlobServiceClient _service = new(azurite.Azurite.ConnectionString);
    private readonly string _container = AzuriteFixture.NewContainerName("grains");

    protected override IGrainStorage CreateStorage() => new AzureBlobGrainStorage(_service, new AzureBlobGrainStorageOptions { ContainerName = _container });

    [Fact]
    public async Task A_state_is_one_blob_whose_etag_is_the_states_etag_and_whose_name_decodes_back()
    {
        var storage = CreateStorage();
        var grain = new GrainId("ParameterShard", "exp42/G/3 ~é");

        var etag = await storage.WriteAsync(grain, "shard.v1", new byte[] { 5, 6 }, null, default);

        var blobs = new List<string>();
        await foreach (var item in _service.GetBlobContainerClient(_container).GetBlobsAsync())
        {
            blobs.Add(item.Name);
            item.Properties.ETag!.Value.ToString().Trim('"').Should().Be(etag);
        }

        var name = blobs.Should().ContainSingle().Subject;
        name.Should().Be("grains/ParameterShard/exp42~2FG~2F3~20~7E~C3~A9/shard~2Ev1");
        GrainStateBlobNames.TryParse("grains/", name, out var parsed, out var state).Should().BeTrue();
        parsed.Should().Be(grain);
        state.Should().Be("shard.v1");
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("~", "~7E")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("..", "~2E~2E")]
    [InlineData("𝔾", "~F0~9D~94~BE")]
    public void Names_escape_every_character_but_letters_digits_dash_and_underscore_reversibly(string key, string expectedKeyPart)
    {
        var name = GrainStateBlobNames.Of("p/", new GrainId("T_y-pe9", key), "s");

        name.Should().Be($"p/T_y-pe9/{(key.Length == 0 ? "~" : expectedKeyPart)}/s");
        GrainStateBlobNames.TryParse("p/", name, out var parsed, out var state).Should().BeTrue();
        parsed.Should().Be(new GrainId("T_y-pe9", key));
        state.Should().Be("s");
    }

    [Theory]
    [InlineData("other/T/k/s")]
    [InlineData("p/T/k")]
    [InlineData("p/T/k/s/extra")]
    [InlineData("p/T/k~2f/s")]
    [InlineData("p/T/k~2/s")]
    [InlineData("p/T/k.x/s")]
    [InlineData("p/T//s")]
    public void Names_not_made_by_the_storage_do_not_parse(string name)
    {
        GrainStateBlobNames.TryParse("p/", name, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void A_key_too_long_for_a_blob_name_is_refused_with_the_reason()
    {
        var make = () => GrainStateBlobNames.Of("grains/", new GrainId("T", new string('/', 400)), "state");

        make.Should().Throw<ArgumentException>().WithMessage("*1024*");
    }

    [Fact]
    public async Task Two_silos_storages_racing_from_one_etag_have_exactly_one_winner_and_the_loser_sees_its_etag()
    {
        var first = CreateStorage();
        var second = CreateStorage();
        var grain = new GrainId("counter", "shared");
        var etag = await first.WriteAsync(grain, "state", new byte[] { 0 }, null, default);

        var results = await Task.WhenAll(new[] { first, second }.Select(async (storage, i) =>
        {
            await Task.Yield();
            try
            {
                return (Writer: i, ETag: await storage.WriteAsync(grain, "state", new[] { (byte)(i + 1) }, etag, default), Lost: (InconsistentStateException?)null);
            }
            catch (InconsistentStateException e)
            {
                return (Writer: i, ETag: (string?)null, Lost: e);
            }
        }));

        var winner = results.Should().ContainSingle(r => r.Lost == null).Subject;
        var loser = results.Should().ContainSingle(r => r.Lost != null).Subject;
        loser.Lost!.StoredEtag.Should().Be(winner.ETag);
        var (data, stored) = await second.ReadAsync(grain, "state", default);
        data.Should().Equal((byte)(winner.Writer + 1));
        stored.Should().Be(winner.ETag);
    }

    [Fact]
    public async Task A_storage_whose_container_does_not_exist_reads_nothing_and_creates_it_on_the_first_write()
    {
        var storage = CreateStorage();
        (await _service.GetBlobContainerClient(_container).ExistsAsync()).Value.Should().BeFalse();

        (await storage.ReadAsync(new GrainId("t", "k"), "s", default)).Data.Should().BeNull();
        await storage.ClearAsync(new GrainId("t", "k"), "s", null, default);
        await storage.WriteAsync(new GrainId("t", "k"), "s", new byte[] { 1 }, null, default);

        (await _service.GetBlobContainerClient(_container).ExistsAsync()).Value.Should().BeTrue();
    }
}
