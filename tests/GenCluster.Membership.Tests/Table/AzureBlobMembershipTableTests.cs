using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using GenCluster.Membership.Tests.Support;
using GenCluster.Storage.Azure;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Membership.Tests.Table;

/// <summary>
/// The table contract on one JSON blob in Azurite (every table of a test in a container of its own), plus what only
/// a blob table can get wrong: silos as separate instances, heartbeats racing swaps, corruption, giving up.
/// </summary>
public sealed class AzureBlobMembershipTableTests(AzuriteFixture azurite) : MembershipTableContractTests, IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BlobServiceClient _service = new(azurite.Azurite.ConnectionString);
    private readonly string _container = AzuriteFixture.NewContainerName("membership");

    private BlobClient Blob => _service.GetBlobContainerClient(_container).GetBlobClient("cluster/membership.json");

    protected override IMembershipTable CreateTable() => CreateTable(new AzureBlobMembershipTableOptions());

    [Fact]
    public async Task Silos_with_instances_of_their_own_see_each_others_writes_in_the_file_tables_json_format()
    {
        var first = CreateTable();
        var second = CreateTable();

        (await first.InsertRowAsync(Rows.Entry(1), 0, None)).Should().BeTrue();
        (await second.InsertRowAsync(Rows.Entry(2), 0, None)).Should().BeFalse("the first instance moved the version on");
        (await second.InsertRowAsync(Rows.Entry(2), 1, None)).Should().BeTrue();

        var seenByFirst = await first.ReadAllAsync(None);
        seenByFirst.Version.Should().Be(2);
        seenByFirst.Rows.Select(row => row.Entry.Silo).Should().Equal(Rows.Silo(1), Rows.Silo(2));
        var json = (await Blob.DownloadContentAsync()).Value.Content.ToArray();
        MembershipTableFileFormat.Deserialize(json, "blob").Should().BeEquivalentTo(seenByFirst);
        Encoding.UTF8.GetString(json).Should().Contain("\"format\": 1").And.Contain("\"silo\": \"127.0.0.1:2@1\"");
    }

    [Fact]
    public async Task Heartbeats_and_swaps_of_three_instances_at_once_lose_nothing()
    {
        const int increments = 15;
        var tables = Enumerable.Range(0, 3).Select(_ => CreateTable()).ToArray();
        await tables[0].InsertRowAsync(Rows.WithCount(Rows.Entry(1), 0), 0, None);
        await tables[0].InsertRowAsync(Rows.Entry(2, SiloStatus.Active), 1, None);

        // Two instances swap the counter row while a third keeps heartbeating the other row: every heartbeat changes
        // the blob, so the swaps lose blob races that their table-level compare-and-swap would have won, and retry.
        using var stopHeartbeats = new CancellationTokenSource();
        var beats = 0;
        var heartbeats = Task.Run(async () =>
        {
            for (var i = 1; i <= 500 && !stopHeartbeats.IsCancellationRequested; i++)
            {
                await tables[2].UpdateIAmAliveAsync(Rows.Silo(2), Rows.Start.AddSeconds(i), None);
                beats = i;
                await Task.Delay(10);
            }
        });
        var swaps = await Task.WhenAll(tables[..2].Select(table => TableContender.IncrementAsync(table, 1, increments, TimeSpan.FromSeconds(60))));
        await stopHeartbeats.CancelAsync();
        await heartbeats;

        var after = await tables[0].ReadAllAsync(None);
        Rows.Count(after.Find(Rows.Silo(1))!.Entry).Should().Be(2 * increments);
        after.Version.Should().Be(2 + (2 * increments), "heartbeats never bump the version");
        after.Find(Rows.Silo(2))!.Entry.IAmAliveTime.Should().Be(Rows.Start.AddSeconds(beats), "no swap wrote an older heartbeat back");
        beats.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_corrupted_blob_fails_reads_and_writes_with_its_uri_and_is_left_alone()
    {
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        await Blob.UploadAsync(BinaryData.FromString("{\"format\": 2, \"version\": 3, \"rows\": []}"), overwrite: true);

        var read = await table.Invoking(t => t.ReadAllAsync(None)).Should().ThrowAsync<MembershipTableCorruptedException>();
        await table.Invoking(t => t.InsertRowAsync(Rows.Entry(2), 3, None)).Should().ThrowAsync<MembershipTableCorruptedException>();

        read.Which.Location.Should().Be(Blob.Uri.ToString());
        read.Which.Message.Should().Contain("format 2");
        (await Blob.DownloadContentAsync()).Value.Content.ToString().Should().Contain("\"format\": 2");
    }

    [Fact]
    public async Task A_writer_that_keeps_losing_blob_races_gives_up_after_its_attempts_with_a_timeout()
    {
        var table = CreateTable(new AzureBlobMembershipTableOptions { MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1) });
        await table.InsertRowAsync(Rows.Entry(1), 0, None);

        // A contender that rewrites the blob after every read of it: no conditional write can ever win.
        var hostile = new HostileReads(azurite.Azurite.ConnectionString, Blob);
        var losing = CreateTable(new AzureBlobMembershipTableOptions { MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1) }, hostile.Service);

        var thrown = await losing.Invoking(t => t.UpdateIAmAliveAsync(Rows.Silo(1), Rows.Start.AddMinutes(1), None)).Should().ThrowAsync<TimeoutException>();

        thrown.Which.Message.Should().Contain("3 attempts").And.Contain(Blob.Uri.ToString());
        hostile.Rewrites.Should().Be(3);
        (await table.ReadAllAsync(None)).Rows[0].Entry.IAmAliveTime.Should().Be(Rows.Start, "the losing heartbeat was never written");
    }

    private AzureBlobMembershipTable CreateTable(AzureBlobMembershipTableOptions options, BlobServiceClient? service = null)
    {
        options.ContainerName = _container;
        options.BlobName = "cluster/membership.json";
        return new AzureBlobMembershipTable(service ?? _service, Options.Create(options), NullLogger<AzureBlobMembershipTable>.Instance, TimeProvider.System);
    }

    /// <summary>
    /// A client whose every read of the table blob is followed at once by a metadata change through another client,
    /// which gives the blob a new ETag: the conditional write after that read always loses.
    /// </summary>
    private sealed class HostileReads : HttpPipelineSynchronousPolicy
    {
        private readonly BlobClient _target;
        private int _rewrites;

        public HostileReads(string connectionString, BlobClient target)
        {
            _target = target;
            var options = new BlobClientOptions();
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            Service = new BlobServiceClient(connectionString, options);
        }

        /// <summary>The client whose reads are sabotaged.</summary>
        public BlobServiceClient Service { get; }

        public int Rewrites => Volatile.Read(ref _rewrites);

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && message.Response.Status == 200
                && message.Request.Uri.Path.EndsWith(_target.Name, StringComparison.Ordinal))
            {
                _target.SetMetadata(new Dictionary<string, string> { ["rewrite"] = Interlocked.Increment(ref _rewrites).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }
    }
}
