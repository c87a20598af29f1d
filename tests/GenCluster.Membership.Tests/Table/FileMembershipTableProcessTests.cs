using System.Globalization;
using GenCluster.Membership.Tests.Support;
using GenCluster.Testing;
using GenCluster.Testing.Processes;

namespace GenCluster.Membership.Tests.Table;

/// <summary>
/// One <see cref="FileMembershipTable"/> file hit by two other OS processes and threads of this one at once:
/// the file lock must exclude across processes, not only across threads.
/// </summary>
public sealed class FileMembershipTableProcessTests : IDisposable
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _directory = new("membership-processes");

    private string TablePath => _directory.File("membership.json");

    private string Gate => _directory.File("start");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_processes_and_four_threads_incrementing_one_row_lose_no_update()
    {
        const int increments = 40;
        const int threads = 4;
        var table = new FileMembershipTable(TablePath);
        await table.InsertRowAsync(Rows.WithCount(Rows.Entry(1), 0), 0, CancellationToken.None);

        using var first = ChildProcess.Start(typeof(Program).Assembly, Gate, "increment", TablePath, "1", "201", Invariant(increments));
        using var second = ChildProcess.Start(typeof(Program).Assembly, Gate, "increment", TablePath, "1", "202", Invariant(increments));
        await StartGate.OpenWhenReadyAsync(Gate, 2, ChildTimeout);
        var local = await SimultaneousThreads.RunAsync(threads, async i =>
        {
            await TableContender.InsertOwnRowAsync(table, 100 + i, TimeSpan.FromSeconds(60));
            return await TableContender.IncrementAsync(table, 1, increments, TimeSpan.FromSeconds(60));
        });
        var children = new[] { await first.WaitForOutputAsync(ChildTimeout), await second.WaitForOutputAsync(ChildTimeout) }
            .Select(output => output.Split(' ').Select(int.Parse).ToArray())
            .ToArray();

        var totalWon = local.Sum(result => result.Won) + children.Sum(result => result[0]);
        totalWon.Should().Be((threads + 2) * increments);
        var after = await table.ReadAllAsync(CancellationToken.None);
        Rows.Count(after.Find(Rows.Silo(1))!.Entry).Should().Be(totalWon, "no process overwrote another's increment");
        after.Rows.Select(row => row.Entry.Silo.Port).Should().BeEquivalentTo(new[] { 1, 100, 101, 102, 103, 201, 202 });
        after.Version.Should().Be(1 + (threads + 2) + totalWon, "every insert and every won swap bumped the version exactly once");
    }

    [Fact]
    public async Task An_update_raced_by_two_processes_and_four_threads_from_one_read_has_exactly_one_winner()
    {
        var table = new FileMembershipTable(TablePath);
        await table.InsertRowAsync(Rows.Entry(1), 0, CancellationToken.None);
        var read = await table.ReadAllAsync(CancellationToken.None);
        var etag = read.Rows[0].ETag;
        var version = Invariant(read.Version);

        using var first = ChildProcess.Start(typeof(Program).Assembly, Gate, "update", TablePath, "1", etag, version, "process-a");
        using var second = ChildProcess.Start(typeof(Program).Assembly, Gate, "update", TablePath, "1", etag, version, "process-b");
        await StartGate.OpenWhenReadyAsync(Gate, 2, ChildTimeout);
        var local = await SimultaneousThreads.RunAsync(4, async i =>
        {
            var won = await table.UpdateRowAsync(Rows.Entry(1, name: $"thread-{i}"), etag, read.Version, CancellationToken.None);
            return (Name: $"thread-{i}", Won: won);
        });
        var children = new[]
        {
            (Name: "process-a", Won: await first.WaitForOutputAsync(ChildTimeout) == "won"),
            (Name: "process-b", Won: await second.WaitForOutputAsync(ChildTimeout) == "won"),
        };

        var winner = local.Concat(children).Should().ContainSingle(result => result.Won).Subject;
        var after = await table.ReadAllAsync(CancellationToken.None);
        after.Version.Should().Be(read.Version + 1);
        after.Rows[0].Entry.SiloName.Should().Be(winner.Name);
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
