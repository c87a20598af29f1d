using GenCluster.Membership;

namespace GenCluster.Runtime.Cluster;

/// <summary>
/// The runtime's current <see cref="ClusterView"/>, fed by the membership agent. Runtime services subscribe to
/// <see cref="Changed"/> to drop directory entries, fail calls and re-register activations when silos come and go.
/// </summary>
internal sealed class ClusterMembership
{
    private readonly object _gate = new();
    private ClusterView _current = ClusterView.Empty;

    /// <summary>The latest view.</summary>
    public ClusterView Current => Volatile.Read(ref _current);

    /// <summary>Raised (previous view, new view) after every observed membership change, in order; handlers must not block.</summary>
    public event Action<ClusterView, ClusterView>? Changed;

    /// <summary>Adopts <paramref name="snapshot"/> if it is not older than the current view.</summary>
    public void Update(MembershipSnapshot snapshot)
    {
        // Handlers run under the lock so they see changes one at a time, in order. They only start work, never wait.
        lock (_gate)
        {
            var previous = _current;
            if (snapshot.Version < previous.Version)
            {
                return;
            }

            var next = ClusterView.From(snapshot);
            Volatile.Write(ref _current, next);
            Changed?.Invoke(previous, next);
        }
    }
}
