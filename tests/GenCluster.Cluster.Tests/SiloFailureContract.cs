using System.Collections.Concurrent;
using System.Diagnostics;
using GenCluster.Cluster.TestGrains;
using Xunit.Abstractions;

namespace GenCluster.Cluster.Tests;

/// <summary>
/// kill -9 of a silo: detection, re-activation elsewhere from persisted state, no lost acknowledged writes; run by a
/// derived class for each place the cluster keeps its membership table and grain state.
/// </summary>
/// <typeparam name="TCluster">The cluster fixture, which decides where the table and the state are kept.</typeparam>
public abstract class SiloFailureContract<TCluster>(TCluster cluster, ITestOutputHelper output) : IClassFixture<TCluster>
    where TCluster : ClusterFixture
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(10);

    /// <summary>The running cluster.</summary>
    protected TCluster Cluster => cluster;

    [Fact]
    public async Task Grains_of_a_killed_silo_answer_from_another_silo_with_their_last_persisted_state()
    {
        // Counters spread over the silos; each acknowledged increment is durable.
        var keys = Enumerable.Range(0, 24).Select(i => $"crash-{i}").ToArray();
        var acknowledged = new ConcurrentDictionary<string, long>();
        foreach (var key in keys)
        {
            for (var i = 0; i < 3; i++)
            {
                acknowledged[key] = await cluster.Client.GetGrain<ICounterGrain>(key).Increment();
            }
        }

        var placement = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            placement[key] = (await cluster.Client.GetGrain<ICounterGrain>(key).Read()).SiloName;
        }

        // Keep writing while the victim dies: writers record only what was acknowledged.
        var victim = cluster.Silos.Single(s => s.Name == placement[keys[0]]);
        var victimKeys = keys.Where(k => placement[k] == victim.Name).ToArray();
        output.WriteLine($"victim {victim.Name} (pid {victim.Pid}) hosts {victimKeys.Length} of {keys.Length} counters");
        using var stopWriters = new CancellationTokenSource();
        var writers = keys.Select(key => Task.Run(async () =>
        {
            var grain = cluster.Client.GetGrain<ICounterGrain>(key);
            for (var i = 0; i < 1000 && !stopWriters.IsCancellationRequested; i++)
            {
                try
                {
                    acknowledged[key] = await grain.Increment();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Unacknowledged: may or may not have been applied.
                }

                await Task.Delay(20);
            }
        })).ToArray();

        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        victim.Kill();

        // Every grain of the victim must answer from a live silo within the bound.
        var recovered = new Dictionary<string, TimeSpan>();
        while (recovered.Count < victimKeys.Length && clock.Elapsed < RecoveryBound + TimeSpan.FromSeconds(20))
        {
            foreach (var key in victimKeys.Where(k => !recovered.ContainsKey(k)))
            {
                try
                {
                    var reading = await cluster.Client.GetGrain<ICounterGrain>(key).Read();
                    if (reading.SiloName != victim.Name)
                    {
                        recovered[key] = clock.Elapsed;
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Not yet: the death is still being detected.
                }
            }

            await Task.Delay(100);
        }

        stopWriters.Cancel();
        await Task.WhenAll(writers);
        output.WriteLine($"recovery times: {string.Join(", ", recovered.Values.Select(t => $"{t.TotalSeconds:F1}s"))}");
        recovered.Keys.Should().BeEquivalentTo(victimKeys);
        recovered.Values.Max().Should().BeLessThan(RecoveryBound);

        // No acknowledged write is lost.
        foreach (var key in keys)
        {
            var reading = await cluster.Client.GetGrain<ICounterGrain>(key).Read();
            reading.SiloName.Should().NotBe(victim.Name);
            reading.Value.Should().BeGreaterThanOrEqualTo(acknowledged[key], $"counter {key} acknowledged {acknowledged[key]}");
        }

        await CheckStoreAfterRecoveryAsync(victim.Name, acknowledged);
    }

    /// <summary>
    /// Checks the backing store itself once every grain recovered: that <paramref name="victimName"/> is recorded dead
    /// and the counters' states hold at least <paramref name="acknowledged"/>.
    /// </summary>
    protected abstract Task CheckStoreAfterRecoveryAsync(string victimName, IReadOnlyDictionary<string, long> acknowledged);
}
