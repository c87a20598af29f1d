using GenCluster.Runtime.Cluster;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>
/// The part of the grain directory this silo owns (the ring arcs ending at its points): grain id → activation,
/// first writer wins. Entries of dead silos are dropped when membership says so, and ignored before that
/// when a registration finds one.
/// </summary>
internal sealed class GrainDirectoryPartition
{
    private readonly Dictionary<GrainId, GrainAddress> _entries = [];
    private readonly ClusterMembership _membership;

    /// <summary>Creates an empty partition that drops entries of silos as they die.</summary>
    public GrainDirectoryPartition(ClusterMembership membership)
    {
        _membership = membership;
        membership.Changed += (_, current) => RemoveWhere(address => current.IsDead(address.Silo));
    }

    /// <summary>Number of entries.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The registered activation of <paramref name="grainId"/>, or null.</summary>
    public GrainAddress? Lookup(GrainId grainId)
    {
        lock (_entries)
        {
            return _entries.GetValueOrDefault(grainId);
        }
    }

    /// <summary>
    /// Registers <paramref name="address"/> unless a live activation on another silo holds the entry. A silo
    /// re-registering replaces its own earlier entry: it knows better than the directory what it hosts.
    /// </summary>
    /// <returns>The activation now registered.</returns>
    public GrainAddress Register(GrainAddress address)
    {
        var view = _membership.Current;
        lock (_entries)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing.Silo != address.Silo && !view.IsDead(existing.Silo))
            {
                return existing;
            }

            _entries[address.GrainId] = address;
            return address;
        }
    }

    /// <summary>Removes <paramref name="address"/> if it is the registered activation.</summary>
    public void Unregister(GrainAddress address)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing == address)
            {
                _entries.Remove(address.GrainId);
            }
        }
    }

    /// <summary>Removes every entry matching <paramref name="predicate"/>.</summary>
    public void RemoveWhere(Func<GrainAddress, bool> predicate)
    {
        lock (_entries)
        {
            foreach (var stale in _entries.Values.Where(predicate).ToList())
            {
                _entries.Remove(stale.GrainId);
            }
        }
    }
}
