using System.Collections.Concurrent;
using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>
/// A caller's memory of where grains are activated, so repeated calls skip the directory. Entries are dropped
/// when their silo dies and when the silo answers "not here".
/// </summary>
internal sealed class GrainDirectoryCache
{
    /// <summary>Above this many entries the cache starts over (a simple bound; lookups repopulate it).</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<GrainId, SiloAddress> _locations = new();

    /// <summary>Creates a cache that forgets silos as they die.</summary>
    public GrainDirectoryCache(ClusterMembership membership)
    {
        membership.Changed += (previous, current) =>
        {
            foreach (var dead in current.NewlyDead(previous))
            {
                RemoveSilo(dead);
            }
        };
    }

    /// <summary>Number of cached locations.</summary>
    public int Count => _locations.Count;

    /// <summary>The cached silo of <paramref name="grainId"/>, if any.</summary>
    public bool TryGet(GrainId grainId, out SiloAddress silo) => _locations.TryGetValue(grainId, out silo);

    /// <summary>Remembers that <paramref name="grainId"/> is on <paramref name="silo"/>.</summary>
    public void Set(GrainId grainId, SiloAddress silo)
    {
        if (_locations.Count >= MaxEntries)
        {
            _locations.Clear();
        }

        _locations[grainId] = silo;
    }

    /// <summary>Forgets <paramref name="grainId"/>'s location if it is still <paramref name="silo"/>.</summary>
    public void Invalidate(GrainId grainId, SiloAddress silo) =>
        _locations.TryRemove(new KeyValuePair<GrainId, SiloAddress>(grainId, silo));

    /// <summary>Forgets every grain on <paramref name="silo"/>.</summary>
    public void RemoveSilo(SiloAddress silo)
    {
        foreach (var entry in _locations)
        {
            if (entry.Value == silo)
            {
                _locations.TryRemove(entry);
            }
        }
    }
}
