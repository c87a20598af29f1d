using System.Collections.Concurrent;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Placement;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>
/// Finds the silo to send a grain call to: the cached location, else the directory's entry, else a placement
/// decision (the chosen silo activates the grain and registers it). Learns from failures: a silo that says
/// "not here" loses its cache entry, and one that says "shutting down" or cannot be reached gets no new grains
/// for a while.
/// </summary>
internal sealed class GrainLocator
{
    /// <summary>How long a silo that refused an activation because it is shutting down is left out of placement.</summary>
    public static readonly TimeSpan ShuttingDownExclusion = TimeSpan.FromMinutes(1);

    /// <summary>How long a silo that could not be reached is left out of placement (membership decides for good).</summary>
    public static readonly TimeSpan UnreachableExclusion = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<SiloAddress, DateTimeOffset> _excluded = new();
    private readonly GrainDirectoryCache _cache;
    private readonly IGrainDirectory _directory;
    private readonly PlacementService _placement;
    private readonly ClusterMembership _membership;
    private readonly LocalSilo _local;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a locator.</summary>
    public GrainLocator(GrainDirectoryCache cache, IGrainDirectory directory, PlacementService placement, ClusterMembership membership, LocalSilo local, TimeProvider timeProvider)
    {
        _cache = cache;
        _directory = directory;
        _placement = placement;
        _membership = membership;
        _local = local;
        _timeProvider = timeProvider;
        membership.Changed += (previous, current) =>
        {
            foreach (var silo in _excluded.Keys.Where(s => current.IsDead(s)))
            {
                _excluded.TryRemove(silo, out _);
            }
        };
    }

    /// <summary>The silo that hosts, or should host, <paramref name="grainId"/>.</summary>
    /// <exception cref="SiloUnavailableException">No silo can host it (e.g. its pinned silo is not active).</exception>
    public async ValueTask<SiloAddress> LocateAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var view = _membership.Current;
        if (_cache.TryGet(grainId, out var cached) && !view.IsDead(cached))
        {
            return cached;
        }

        var registered = await _directory.LookupAsync(grainId, cancellationToken).ConfigureAwait(false);
        if (registered is not null && !view.IsDead(registered.Silo))
        {
            _cache.Set(grainId, registered.Silo);
            return registered.Silo;
        }

        var placed = _placement.Place(grainId, _local.AddressOrNull, ExcludedSilos());
        _cache.Set(grainId, placed);
        return placed;
    }

    /// <summary>A request for <paramref name="grainId"/> could not be delivered to <paramref name="silo"/> at all.</summary>
    public void OnUnreachable(GrainId grainId, SiloAddress silo)
    {
        _cache.Invalidate(grainId, silo);
        _excluded[silo] = _timeProvider.GetUtcNow() + UnreachableExclusion;
    }

    /// <summary>Learns from <paramref name="rejectedBy"/>'s refusal to serve <paramref name="grainId"/>.</summary>
    public void OnRejected(GrainId grainId, SiloAddress? rejectedBy, RejectionReason reason, SiloAddress? redirect)
    {
        if (rejectedBy is { } silo)
        {
            _cache.Invalidate(grainId, silo);
            if (reason == RejectionReason.ShuttingDown)
            {
                _excluded[silo] = _timeProvider.GetUtcNow() + ShuttingDownExclusion;
            }
        }

        if (redirect is { } target && !_membership.Current.IsDead(target))
        {
            _cache.Set(grainId, target);
        }
    }

    private HashSet<SiloAddress> ExcludedSilos()
    {
        var now = _timeProvider.GetUtcNow();
        var excluded = new HashSet<SiloAddress>();
        foreach (var (silo, until) in _excluded)
        {
            if (until > now)
            {
                excluded.Add(silo);
            }
            else
            {
                _excluded.TryRemove(silo, out _);
            }
        }

        return excluded;
    }
}
