using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// Counts each probe target's consecutive missed probes. Probes of one target may overlap (a timeout as long
/// as the interval), so every probe gets a sequence number and a result older than one already recorded is
/// ignored: a late failure must not undo a newer success.
/// </summary>
internal sealed class MissedProbeTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, TargetHistory> _targets = [];
    private long _lastProbe;

    /// <summary>Forgets every silo not in <paramref name="targets"/> and starts a clean history for new ones.</summary>
    public void Retain(IReadOnlyCollection<SiloAddress> targets)
    {
        lock (_lock)
        {
            foreach (var silo in _targets.Keys.Where(silo => !targets.Contains(silo)).ToList())
            {
                _targets.Remove(silo);
            }

            foreach (var silo in targets)
            {
                // A new history counts no result of a probe started before it existed.
                _targets.TryAdd(silo, new TargetHistory { LastRecordedProbe = _lastProbe });
            }
        }
    }

    /// <summary>Numbers a probe of <paramref name="target"/> that is about to start.</summary>
    public long BeginProbe(SiloAddress target)
    {
        lock (_lock)
        {
            return ++_lastProbe;
        }
    }

    /// <summary>
    /// Records how probe <paramref name="probe"/> of <paramref name="target"/> ended and returns the target's
    /// consecutive misses since; null when the result is outdated or the target is no longer probed.
    /// </summary>
    public int? RecordResult(SiloAddress target, long probe, bool answered)
    {
        lock (_lock)
        {
            if (!_targets.TryGetValue(target, out var history) || probe <= history.LastRecordedProbe)
            {
                return null;
            }

            history.LastRecordedProbe = probe;
            history.ConsecutiveMisses = answered ? 0 : history.ConsecutiveMisses + 1;
            return history.ConsecutiveMisses;
        }
    }

    /// <summary>The consecutive misses of <paramref name="target"/> (0 when it is not probed).</summary>
    public int ConsecutiveMisses(SiloAddress target)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(target, out var history) ? history.ConsecutiveMisses : 0;
        }
    }

    private sealed class TargetHistory
    {
        public long LastRecordedProbe { get; set; }

        public int ConsecutiveMisses { get; set; }
    }
}
