using System.Text;
using GenCluster.Membership.Tests.Support;
using GenCluster.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Membership.Tests.Table;

/// <summary>The table contract on a JSON file, plus what only a file can get wrong: corruption, locks, leftovers.</summary>
public sealed class FileMembershipTableTests : MembershipTableContractTests, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TemporaryDirectory _directory = new("membership");

    private string TablePath => _directory.File("cluster/membership.json");

    public void Dispose() => _directory.Dispose();

    protected override IMembershipTable CreateTable() => new FileMembershipTable(TablePath);

    [Fact]
    public async Task Two_instances_on_one_file_see_each_others_writes_in_a_readable_file()
    {
        var first = new FileMembershipTable(TablePath);
        var second = new FileMembershipTable(TablePath);

        (await first.InsertRowAsync(Rows.Entry(1), 0, None)).Should().BeTrue();
        (await second.InsertRowAsync(Rows.Entry(2), 0, None)).Should().BeFalse("the first instance moved the version on");
        (await second.InsertRowAsync(Rows.Entry(2), 1, None)).Should().BeTrue();

        var seenByFirst = await first.ReadAllAsync(None);
        seenByFirst.Version.Should().Be(2);
        seenByFirst.Rows.Select(row => row.Entry.Silo).Should().Equal(Rows.Silo(1), Rows.Silo(2));
        var json = await File.ReadAllTextAsync(TablePath);
        json.Should().Contain("\"format\": 1").And.Contain("\"silo\": \"127.0.0.1:2@1\"").And.Contain("\"status\": \"Joining\"");
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files_behind()
    {
        var table = new FileMembershipTable(TablePath);
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        var snapshot = await table.ReadAllAsync(None);
        await table.UpdateRowAsync(snapshot.Rows[0].Entry with { Status = SiloStatus.Active }, snapshot.Rows[0].ETag, 1, None);
        await table.UpdateIAmAliveAsync(Rows.Silo(1), Rows.Start.AddSeconds(5), None);

        Directory.GetFiles(Path.GetDirectoryName(TablePath)!).Select(Path.GetFileName)
            .Should().BeEquivalentTo("membership.json", "membership.json.lock");
    }

    [Theory]
    [InlineData("this is not json", "not a valid table document")]
    [InlineData("{\"format\": 1, \"version\": 3, \"rows\": [", "not a valid table document")]
    [InlineData("{\"format\": 1, \"version\": 3}", "not a valid table document")]
    [InlineData("{\"format\": 2, \"version\": 3, \"rows\": []}", "format 2")]
    [InlineData("{\"format\": 1, \"version\": -1, \"rows\": []}", "negative table version")]
    [InlineData("", "empty")]
    public async Task A_corrupted_file_fails_reads_and_writes_with_a_clear_error(string content, string problem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(TablePath)!);
        await File.WriteAllTextAsync(TablePath, content);
        var table = new FileMembershipTable(TablePath);

        await AssertCorrupted(() => table.ReadAllAsync(None), problem);
        await AssertCorrupted(() => table.InsertRowAsync(Rows.Entry(1), 3, None), problem);
        await AssertCorrupted(() => table.UpdateRowAsync(Rows.Entry(1), "etag", 3, None), problem);
        await AssertCorrupted(() => table.UpdateIAmAliveAsync(Rows.Silo(1), Rows.Start, None), problem);
        (await File.ReadAllTextAsync(TablePath)).Should().Be(content, "a corrupted table is left for an operator, not overwritten");
    }

    [Theory]
    [InlineData("\"silo\": \"127.0.0.1:1@1\"", "\"silo\": \"no-port-here\"", "no-port-here")]
    [InlineData("\"status\": \"Joining\"", "\"status\": \"Sleeping\"", "not a valid table document")]
    [InlineData("\"status\": \"Joining\"", "\"status\": 9", "invalid status")]
    [InlineData("\"name\": \"silo-1\",", "", "not a valid table document")]
    [InlineData("\"name\": \"silo-1\"", "\"name\": null", "not a valid table document")]
    [InlineData("127.0.0.1:2@1", "127.0.0.1:1@1", "more than one row")]
    public async Task A_malformed_row_is_reported_as_corruption(string original, string replacement, string problem)
    {
        var table = new FileMembershipTable(TablePath);
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        await table.InsertRowAsync(Rows.Entry(2), 1, None);
        var json = await File.ReadAllTextAsync(TablePath);
        json.Should().Contain(original);
        await File.WriteAllTextAsync(TablePath, json.Replace(original, replacement, StringComparison.Ordinal));

        await AssertCorrupted(() => table.ReadAllAsync(None), problem);
    }

    [Fact]
    public async Task A_write_waits_for_the_lock_and_gives_up_with_a_timeout_when_it_is_never_released()
    {
        var options = new FileMembershipTableOptions { Path = TablePath, LockTimeout = TimeSpan.FromMilliseconds(300) };
        var table = new FileMembershipTable(Options.Create(options), NullLogger<FileMembershipTable>.Instance, TimeProvider.System);
        await table.InsertRowAsync(Rows.Entry(1), 0, None);

        var started = TimeProvider.System.GetTimestamp();
        using (new FileStream(TablePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var blocked = () => table.InsertRowAsync(Rows.Entry(2), 1, None);
            (await blocked.Should().ThrowAsync<TimeoutException>()).WithMessage("*membership.json.lock*");
            TimeProvider.System.GetElapsedTime(started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
            (await table.ReadAllAsync(None)).Version.Should().Be(1, "reads need no lock");
        }

        (await table.InsertRowAsync(Rows.Entry(2), 1, None)).Should().BeTrue("the lock is free again");
    }

    [Fact]
    public async Task A_write_proceeds_once_a_briefly_held_lock_is_released()
    {
        var table = new FileMembershipTable(TablePath);
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        var holder = new FileStream(TablePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var insert = table.InsertRowAsync(Rows.Entry(2), 1, None);
        await Task.Delay(200);
        insert.IsCompleted.Should().BeFalse("the lock is held");
        await holder.DisposeAsync();

        (await insert.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    private async Task AssertCorrupted(Func<Task> action, string problem)
    {
        var thrown = await action.Should().ThrowAsync<MembershipTableCorruptedException>();
        thrown.Which.Location.Should().Be(Path.GetFullPath(TablePath));
        thrown.Which.Message.Should().Contain(Path.GetFullPath(TablePath)).And.Contain(problem);
    }
}
