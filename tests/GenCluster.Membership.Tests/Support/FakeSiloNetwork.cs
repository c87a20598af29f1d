using System.Collections.Concurrent;
using GenCluster.Runtime;

namespace GenCluster.Membership.Tests.Support;

/// <summary>
/// The probes between test silos, answered as the test decides: a silo can stop answering everyone, a single
/// link can be cut (one direction), or probes to a silo can hang until the prober gives up.
/// </summary>
public sealed class FakeSiloNetwork
{
    private readonly ConcurrentDictionary<SiloAddress, bool> _silent = new();
    private readonly ConcurrentDictionary<SiloAddress, bool> _hanging = new();
    private readonly ConcurrentDictionary<(SiloAddress From, SiloAddress To), bool> _cut = new();
    private readonly ConcurrentDictionary<(SiloAddress From, SiloAddress To), int> _probes = new();

    /// <summary>Probes to <paramref name="silo"/> fail from now on (it crashed, or its process hangs).</summary>
    public void StopAnswering(SiloAddress silo) => _silent[silo] = true;

    /// <summary>Probes to <paramref name="silo"/> succeed again.</summary>
    public void ResumeAnswering(SiloAddress silo)
    {
        _silent.TryRemove(silo, out _);
        _hanging.TryRemove(silo, out _);
    }

    /// <summary>Probes to <paramref name="silo"/> never complete unless cancelled: the agent's own timeout must end them.</summary>
    public void HangProbesTo(SiloAddress silo) => _hanging[silo] = true;

    /// <summary>Probes from <paramref name="from"/> to <paramref name="to"/> fail (the other direction is untouched).</summary>
    public void Cut(SiloAddress from, SiloAddress to) => _cut[(from, to)] = true;

    /// <summary>Heals a link cut by <see cref="Cut"/>.</summary>
    public void Heal(SiloAddress from, SiloAddress to) => _cut.TryRemove((from, to), out _);

    /// <summary>How many probes <paramref name="from"/> has sent <paramref name="to"/>.</summary>
    public int ProbesSent(SiloAddress from, SiloAddress to) => _probes.GetValueOrDefault((from, to));

    /// <summary>The prober a silo at <paramref name="from"/> uses.</summary>
    public ISiloProber ProberFor(SiloAddress from) => new Prober(this, from);

    private sealed class Prober(FakeSiloNetwork network, SiloAddress from) : ISiloProber
    {
        public async Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken ct)
        {
            network._probes.AddOrUpdate((from, target), 1, (_, count) => count + 1);
            if (network._hanging.ContainsKey(target))
            {
                // Like a ping whose packets vanish: only giving up ends it.
                await Task.Delay(Timeout.Infinite, ct);
            }

            return !network._silent.ContainsKey(target) && !network._cut.ContainsKey((from, target));
        }
    }
}
