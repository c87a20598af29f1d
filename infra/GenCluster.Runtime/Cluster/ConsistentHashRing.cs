namespace GenCluster.Runtime.Cluster;

/// <summary>
/// Assigns every grain id an owner among a set of silos: each silo takes <see cref="PointsPerSilo"/> points on a
/// 64-bit ring and owns the arc up to each point. Adding or removing a silo moves only the arcs next to its points,
/// so most grains keep their directory owner while the cluster changes.
/// </summary>
internal sealed class ConsistentHashRing
{
    /// <summary>Virtual points per silo; more points spread the load more evenly.</summary>
    public const int PointsPerSilo = 32;

    private readonly ulong[] _points;
    private readonly SiloAddress[] _owners;

    /// <summary>Builds the ring of <paramref name="silos"/>.</summary>
    public ConsistentHashRing(IEnumerable<SiloAddress> silos)
    {
        var points = new List<(ulong Point, SiloAddress Silo)>();
        foreach (var silo in silos.Distinct())
        {
            for (int i = 0; i < PointsPerSilo; i++)
            {
                points.Add((StableHash.Compute($"{silo}#{i}"), silo));
            }
        }

        // Ties (astronomically rare) are broken by address so every silo builds the same ring.
        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Silo.ToString(), b.Silo.ToString()));
        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Silo).ToArray();
    }

    /// <summary>Whether the ring has no silos.</summary>
    public bool IsEmpty => _points.Length == 0;

    /// <summary>The silo owning <paramref name="grainId"/>, or null when the ring is empty.</summary>
    public SiloAddress? Owner(GrainId grainId) => Owner(StableHash.Compute(grainId.ToString()));

    /// <summary>The silo owning ring position <paramref name="hash"/>, or null when the ring is empty.</summary>
    public SiloAddress? Owner(ulong hash)
    {
        if (_points.Length == 0)
        {
            return null;
        }

        int index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }
}
