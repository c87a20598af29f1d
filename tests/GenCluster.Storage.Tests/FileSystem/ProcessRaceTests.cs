using System.Globalization;
using GenCluster.Storage.FileSystem;
using GenCluster.Storage.Tests.Support;
using GenCluster.Testing.Processes;

namespace GenCluster.Storage.Tests.FileSystem;

/// <summary>
/// Writers in two other OS processes and threads of this one race on one folder: the per-object file lock must
/// exclude across processes, not only across threads.
/// </summary>
public sealed class ProcessRaceTests : IDisposable
{
    /// <summary>The size each creator writes.</summary>
    internal const int ObjectBytes = 256 << 10;

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _directory = new("object-store-processes");

    private string Root => _directory.File("store");

    private string Gate => _directory.File("start");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Of_creators_in_three_processes_exactly_one_wins()
    {
        var store = new FileSystemObjectStore(Root);

        using var first = ChildProcess.Start(typeof(Program).Assembly, Gate, Root, "exp/lease", "create", "101");
        using var second = ChildProcess.Start(typeof(Program).Assembly, Gate, Root, "exp/lease", "create", "102");
        await StartGate.OpenWhenReadyAsync(Gate, 2, ChildTimeout);
        var local = await Task.WhenAll(Enumerable.Range(1, 4).Select(seed => Task.Run(async () =>
        {
            try
            {
                await store.PutAsync("exp/lease", new GeneratedStream(ObjectBytes, (ulong)seed), WriteCondition.IfNoneExists, CancellationToken.None);
                return (Seed: seed, Won: true);
            }
            catch (ObjectConditionFailedException)
            {
                return (Seed: seed, Won: false);
            }
        })));
        var children = new[]
        {
            (Seed: 101, Won: await first.WaitForOutputAsync(ChildTimeout) == "won"),
            (Seed: 102, Won: await second.WaitForOutputAsync(ChildTimeout) == "won"),
        };

        var winner = local.Concat(children).Should().ContainSingle(result => result.Won).Subject;
        var stored = await store.GetPropertiesAsync("exp/lease", CancellationToken.None);
        stored!.Sha256.Should().Be(GeneratedStream.Sha256Of(ObjectBytes, (ulong)winner.Seed), "the winner's bytes are the object");
    }

    [Fact]
    public async Task Compare_and_swap_increments_from_two_processes_and_four_threads_lose_no_update()
    {
        const int increments = 30;
        var store = new FileSystemObjectStore(Root);
        await CounterContender.CreateAsync(store, "exp/counter");

        using var first = ChildProcess.Start(typeof(Program).Assembly, Gate, Root, "exp/counter", "increment", Invariant(increments));
        using var second = ChildProcess.Start(typeof(Program).Assembly, Gate, Root, "exp/counter", "increment", Invariant(increments));
        await StartGate.OpenWhenReadyAsync(Gate, 2, ChildTimeout);
        var local = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            CounterContender.IncrementAsync(store, "exp/counter", increments, TimeSpan.FromSeconds(60)))));
        var childLost = new[] { await first.WaitForOutputAsync(ChildTimeout), await second.WaitForOutputAsync(ChildTimeout) }
            .Sum(output => int.Parse(output, CultureInfo.InvariantCulture));

        (await CounterContender.ReadAsync(store, "exp/counter")).Should().Be(6 * increments, "every successful swap counted exactly once");
        (local.Sum() + childLost).Should().BePositive("the contenders did race (some swaps found a newer ETag)");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
