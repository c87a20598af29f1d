using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// A total order on silo addresses (host ordinal, then port, then generation) that every silo computes
/// identically: the probe ring and ordered enumerations of the cluster are built on it.
/// </summary>
public sealed class SiloAddressComparer : IComparer<SiloAddress>
{
    /// <summary>The one instance.</summary>
    public static SiloAddressComparer Instance { get; } = new();

    private SiloAddressComparer()
    {
    }

    /// <inheritdoc />
    public int Compare(SiloAddress x, SiloAddress y)
    {
        var byHost = string.CompareOrdinal(x.Host, y.Host);
        if (byHost != 0)
        {
            return byHost;
        }

        var byPort = x.Port.CompareTo(y.Port);
        return byPort != 0 ? byPort : x.Generation.CompareTo(y.Generation);
    }
}
