using System.Collections.Frozen;
using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>One silo's row in the membership table.</summary>
/// <param name="Silo">The silo's address, including its generation.</param>
/// <param name="SiloName">A human-readable name (host name, pod name).</param>
/// <param name="Status">Where the silo is in its life.</param>
/// <param name="StartTime">When the silo process started.</param>
/// <param name="IAmAliveTime">The silo's last heartbeat; a very stale one makes the silo a suspect.</param>
/// <param name="Suspicions">Votes by other silos that this one is dead.</param>
/// <param name="Properties">What the silo offers, e.g. <c>"devices" = "cpu:0,cpu:1"</c>, <c>"gateway" = "127.0.0.1:30001"</c>.</param>
public sealed record MembershipEntry(
    SiloAddress Silo,
    string SiloName,
    SiloStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SuspectVote> Suspicions,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>
    /// A copy whose collections cannot be changed through a reference the caller kept, so a table
    /// holding it is not altered behind its back (records copy collection references, not contents).
    /// </summary>
    internal MembershipEntry Freeze()
    {
        ArgumentNullException.ThrowIfNull(SiloName);
        return this with
        {
            Suspicions = Suspicions is null ? [] : [.. Suspicions],
            Properties = (Properties ?? FrozenDictionary<string, string>.Empty).ToFrozenDictionary(StringComparer.Ordinal),
        };
    }
}
