using GenCluster.Membership.Tests.Support;

namespace GenCluster.Membership.Tests.Table;

/// <summary>
/// What every <see cref="IMembershipTable"/> must do, run against each implementation by a derived class:
/// versions, ETags, compare-and-swap, heartbeats, and exactly one winner per race.
/// </summary>
public abstract class MembershipTableContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty table.</summary>
    protected abstract IMembershipTable CreateTable();

    [Fact]
    public async Task A_new_table_is_empty_at_version_zero()
    {
        var snapshot = await CreateTable().ReadAllAsync(None);

        snapshot.Version.Should().Be(0);
        snapshot.Rows.Should().BeEmpty();
    }

    [Fact]
    public async Task Insert_adds_the_row_with_every_field_and_bumps_the_version()
    {
        var table = CreateTable();
        var vote = new SuspectVote(Rows.Silo(2), Rows.Start.AddSeconds(3));
        var entry = Rows.Entry(1, SiloStatus.Active, "alpha", new Dictionary<string, string> { ["devices"] = "cpu:0,cpu:1", ["gateway"] = "127.0.0.1:30001" })
            with { Suspicions = [vote], IAmAliveTime = Rows.Start.AddSeconds(7) };

        (await table.InsertRowAsync(entry, 0, None)).Should().BeTrue();

        var snapshot = await table.ReadAllAsync(None);
        snapshot.Version.Should().Be(1);
        var row = snapshot.Rows.Should().ContainSingle().Subject;
        row.ETag.Should().NotBeNullOrEmpty();
        row.Entry.Silo.Should().Be(entry.Silo);
        row.Entry.SiloName.Should().Be("alpha");
        row.Entry.Status.Should().Be(SiloStatus.Active);
        row.Entry.StartTime.Should().Be(Rows.Start);
        row.Entry.StartTime.Offset.Should().Be(TimeSpan.FromHours(2));
        row.Entry.IAmAliveTime.Should().Be(Rows.Start.AddSeconds(7));
        row.Entry.Suspicions.Should().Equal(vote);
        row.Entry.Properties.Should().BeEquivalentTo(entry.Properties);
    }

    [Fact]
    public async Task Insert_at_a_stale_version_or_of_an_existing_silo_is_refused_and_changes_nothing()
    {
        var table = CreateTable();
        (await table.InsertRowAsync(Rows.Entry(1), 0, None)).Should().BeTrue();

        (await table.InsertRowAsync(Rows.Entry(2), 0, None)).Should().BeFalse("the version moved on to 1");
        (await table.InsertRowAsync(Rows.Entry(1, name: "again"), 1, None)).Should().BeFalse("silo 1 already has a row");
        (await table.InsertRowAsync(Rows.Entry(2), 5, None)).Should().BeFalse("version 5 is in the future");

        var snapshot = await table.ReadAllAsync(None);
        snapshot.Version.Should().Be(1);
        snapshot.Rows.Should().ContainSingle().Which.Entry.SiloName.Should().Be("silo-1");
    }

    [Fact]
    public async Task Update_with_the_current_etag_and_version_replaces_the_row_with_a_new_etag()
    {
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        await table.InsertRowAsync(Rows.Entry(2), 1, None);
        var before = await table.ReadAllAsync(None);
        var row = before.Find(Rows.Silo(1))!;

        (await table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Active }, row.ETag, before.Version, None)).Should().BeTrue();

        var after = await table.ReadAllAsync(None);
        after.Version.Should().Be(before.Version + 1);
        var updated = after.Find(Rows.Silo(1))!;
        updated.Entry.Status.Should().Be(SiloStatus.Active);
        updated.ETag.Should().NotBe(row.ETag);
        after.Find(Rows.Silo(2))!.ETag.Should().Be(before.Find(Rows.Silo(2))!.ETag, "other rows are untouched");
    }

    [Fact]
    public async Task Update_with_a_stale_etag_a_stale_version_or_no_row_is_refused_and_changes_nothing()
    {
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        var first = await table.ReadAllAsync(None);
        var staleETag = first.Rows[0].ETag;
        await table.UpdateRowAsync(first.Rows[0].Entry with { SiloName = "renamed" }, staleETag, first.Version, None);
        var current = await table.ReadAllAsync(None);
        var etag = current.Rows[0].ETag;
        var dead = current.Rows[0].Entry with { Status = SiloStatus.Dead };

        (await table.UpdateRowAsync(dead, staleETag, current.Version, None)).Should().BeFalse("the etag is stale");
        (await table.UpdateRowAsync(dead, etag, first.Version, None)).Should().BeFalse("the version is stale");
        (await table.UpdateRowAsync(Rows.Entry(9), etag, current.Version, None)).Should().BeFalse("silo 9 has no row");

        var after = await table.ReadAllAsync(None);
        after.Version.Should().Be(current.Version);
        after.Rows.Should().ContainSingle().Which.Entry.Should().Match<MembershipEntry>(entry => entry.Status == SiloStatus.Joining && entry.SiloName == "renamed");
    }

    [Fact]
    public async Task A_version_bumped_by_another_row_fails_an_update_even_with_the_right_etag()
    {
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        var read = await table.ReadAllAsync(None);
        await table.InsertRowAsync(Rows.Entry(2), read.Version, None);

        (await table.UpdateRowAsync(read.Rows[0].Entry with { Status = SiloStatus.Active }, read.Rows[0].ETag, read.Version, None)).Should().BeFalse();
    }

    [Fact]
    public async Task Heartbeat_changes_only_the_iamalive_time_and_etag_and_not_the_version()
    {
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1, SiloStatus.Active), 0, None);
        var before = await table.ReadAllAsync(None);

        await table.UpdateIAmAliveAsync(Rows.Silo(1), Rows.Start.AddMinutes(1), None);

        var after = await table.ReadAllAsync(None);
        after.Version.Should().Be(before.Version);
        after.Rows[0].Entry.IAmAliveTime.Should().Be(Rows.Start.AddMinutes(1));
        after.Rows[0].Entry.Should().BeEquivalentTo(before.Rows[0].Entry, options => options.Excluding(entry => entry.IAmAliveTime));
        after.Rows[0].ETag.Should().NotBe(before.Rows[0].ETag, "a swap built on the pre-heartbeat row must not write an older heartbeat back");
        (await table.UpdateRowAsync(before.Rows[0].Entry, before.Rows[0].ETag, before.Version, None)).Should().BeFalse();
    }

    [Fact]
    public async Task Heartbeat_of_a_silo_without_a_row_fails()
    {
        var table = CreateTable();

        var heartbeat = () => table.UpdateIAmAliveAsync(Rows.Silo(1), Rows.Start, None);

        await heartbeat.Should().ThrowAsync<InvalidOperationException>().WithMessage("*127.0.0.1:1@1*");
    }

    [Fact]
    public async Task The_table_keeps_its_own_copy_of_an_entry()
    {
        var table = CreateTable();
        var votes = new List<SuspectVote>();
        var properties = new Dictionary<string, string> { ["devices"] = "cpu:0" };
        await table.InsertRowAsync(Rows.Entry(1, properties: properties) with { Suspicions = votes }, 0, None);

        votes.Add(new SuspectVote(Rows.Silo(2), Rows.Start));
        properties["devices"] = "changed";

        var entry = (await table.ReadAllAsync(None)).Rows[0].Entry;
        entry.Suspicions.Should().BeEmpty();
        entry.Properties["devices"].Should().Be("cpu:0");
    }

    [Fact]
    public async Task Concurrent_updates_from_one_read_have_exactly_one_winner()
    {
        const int contenders = 16;
        var table = CreateTable();
        await table.InsertRowAsync(Rows.Entry(1), 0, None);
        var read = await table.ReadAllAsync(None);

        var results = await SimultaneousThreads.RunAsync(contenders, async i =>
        {
            var won = await table.UpdateRowAsync(read.Rows[0].Entry with { SiloName = $"writer-{i}" }, read.Rows[0].ETag, read.Version, None);
            return (Writer: i, Won: won);
        });

        var winner = results.Should().ContainSingle(result => result.Won).Subject;
        var after = await table.ReadAllAsync(None);
        after.Version.Should().Be(read.Version + 1);
        after.Rows[0].Entry.SiloName.Should().Be($"writer-{winner.Writer}");
    }

    [Fact]
    public async Task Concurrent_inserts_at_one_version_have_exactly_one_winner()
    {
        const int contenders = 16;
        var table = CreateTable();

        var results = await SimultaneousThreads.RunAsync(contenders, async i => (Port: 100 + i, Won: await table.InsertRowAsync(Rows.Entry(100 + i), 0, None)));

        var winner = results.Should().ContainSingle(result => result.Won).Subject;
        var after = await table.ReadAllAsync(None);
        after.Version.Should().Be(1);
        after.Rows.Should().ContainSingle().Which.Entry.Silo.Should().Be(Rows.Silo(winner.Port));
    }

    [Fact]
    public async Task Read_modify_write_from_many_threads_loses_no_update()
    {
        const int threads = 8;
        const int increments = 25;
        var table = CreateTable();
        await table.InsertRowAsync(Rows.WithCount(Rows.Entry(1), 0), 0, None);

        var results = await SimultaneousThreads.RunAsync(threads, _ => TableContender.IncrementAsync(table, 1, increments, TimeSpan.FromSeconds(60)));

        var after = await table.ReadAllAsync(None);
        results.Sum(result => result.Won).Should().Be(threads * increments);
        Rows.Count(after.Rows[0].Entry).Should().Be(threads * increments, "every won swap is counted once, none overwritten");
        after.Version.Should().Be(1 + (threads * increments));
    }
}
