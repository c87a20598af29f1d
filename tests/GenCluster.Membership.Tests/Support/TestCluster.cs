using GenCluster.Runtime;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenCluster.Membership.Tests.Support;

/// <summary>
/// Silos in one test: membership agents sharing a table, a fake network and a manual clock. The clock moves
/// timer by timer, and after each firing the cluster waits until every agent's periodic work has finished, so
/// what happens at each instant is settled before the next: detection times are exact, not raced.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>Far more timer firings than any test needs; bounds every advance loop.</summary>
    private const int MaxSteps = 10_000;

    /// <summary>Real time one settle may take before the test fails rather than hangs.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    private readonly ITestOutputHelper _output;
    private readonly List<MembershipAgent> _agents = [];

    public TestCluster(ITestOutputHelper output, MembershipOptions? options = null, IMembershipTable? table = null)
    {
        _output = output;
        Options = options ?? new MembershipOptions();
        Table = table ?? new InMemoryMembershipTable();
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeSiloNetwork Network { get; } = new();

    public MembershipOptions Options { get; }

    public IMembershipTable Table { get; }

    /// <summary>A loopback silo address on <paramref name="port"/>.</summary>
    public static SiloAddress Address(int port, long generation = 1) => new("127.0.0.1", port, generation);

    /// <summary>An agent for a silo on <paramref name="port"/>, not yet joined.</summary>
    public MembershipAgent CreateAgent(int port, long generation = 1, IReadOnlyDictionary<string, string>? properties = null)
    {
        var address = Address(port, generation);
        var local = new LocalSiloDetails(address, $"silo-{port}", properties ?? new Dictionary<string, string>());
        var logger = new TestOutputLogger<MembershipAgent>(_output, Clock, $"[{port}@{generation}]");
        var agent = new MembershipAgent(Table, Network.ProberFor(address), local, Microsoft.Extensions.Options.Options.Create(Options), logger, Clock);
        lock (_agents)
        {
            _agents.Add(agent);
        }

        return agent;
    }

    /// <summary>Creates and joins a silo on <paramref name="port"/>.</summary>
    public async Task<MembershipAgent> StartSiloAsync(int port, long generation = 1, IReadOnlyDictionary<string, string>? properties = null)
    {
        var agent = CreateAgent(port, generation, properties);
        await agent.JoinAsync(CancellationToken.None);
        return agent;
    }

    /// <summary>
    /// Starts silos on <paramref name="ports"/> and moves the clock until every one has read the table with all of
    /// them active, so that every probe round from then on works from the full view: a silo that joined early
    /// learns of later ones only at its next refresh, and a probe round at that same instant may still use the older view.
    /// </summary>
    public async Task<MembershipAgent[]> StartSettledAsync(params int[] ports)
    {
        var agents = new MembershipAgent[ports.Length];
        for (var i = 0; i < ports.Length; i++)
        {
            agents[i] = await StartSiloAsync(ports[i]);
        }

        var converged = await AdvanceUntilAsync(() => agents.All(agent => agent.Current.Active.Count() == ports.Length), 2 * Options.TableRefreshInterval);
        if (converged is null)
        {
            throw new InvalidOperationException("the silos did not all see each other active");
        }

        // One more instant, so the probe rounds have also run on the full view.
        await AdvanceAsync(Options.ProbeInterval);
        return agents;
    }

    /// <summary>Moves the clock forward by <paramref name="duration"/>, timer by timer, settling after each.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        await AdvanceUntilAsync(() => false, duration);
    }

    /// <summary>
    /// Moves the clock forward timer by timer until <paramref name="condition"/> holds (checked after each
    /// settle) or <paramref name="limit"/> has passed.
    /// </summary>
    /// <returns>How far the clock moved when the condition first held; null when it never did.</returns>
    public async Task<TimeSpan?> AdvanceUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var start = Clock.GetUtcNow();
        var end = start + limit;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (condition())
            {
                return Clock.GetUtcNow() - start;
            }

            var next = Clock.NextDue;
            if (next is null || next > end)
            {
                Clock.AdvanceTo(end);
                await SettleAsync();
                return condition() ? Clock.GetUtcNow() - start : null;
            }

            Clock.AdvanceTo(next.Value);
            await SettleAsync();
        }

        throw new InvalidOperationException($"the clock did not reach {end} within {MaxSteps} timer firings");
    }

    /// <summary>Waits until no agent has periodic work running.</summary>
    public async Task SettleAsync()
    {
        MembershipAgent[] agents;
        lock (_agents)
        {
            agents = [.. _agents];
        }

        await Task.WhenAll(agents.Select(agent => agent.WhenIdleAsync())).WaitAsync(SettleTimeout);
    }

    /// <summary>What the table says now.</summary>
    public async Task<MembershipTableSnapshot> ReadTableAsync() => await Table.ReadAllAsync(CancellationToken.None);

    /// <summary>The row of <paramref name="silo"/> in the table now.</summary>
    public async Task<MembershipEntry> ReadEntryAsync(SiloAddress silo) =>
        (await ReadTableAsync()).Find(silo)?.Entry ?? throw new InvalidOperationException($"{silo} has no row");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        MembershipAgent[] agents;
        lock (_agents)
        {
            agents = [.. _agents];
        }

        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }
}
