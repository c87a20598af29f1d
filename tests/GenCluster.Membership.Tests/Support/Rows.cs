using GenCluster.Runtime;

namespace GenCluster.Membership.Tests.Support;

/// <summary>Membership entries for table tests.</summary>
public static class Rows
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.FromHours(2));

    public static SiloAddress Silo(int port, long generation = 1) => new("127.0.0.1", port, generation);

    public static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining, string? name = null, IReadOnlyDictionary<string, string>? properties = null) =>
        new(Silo(port), name ?? $"silo-{port}", status, Start, Start, [], properties ?? new Dictionary<string, string>());

    /// <summary>The integer in <paramref name="entry"/>'s <c>count</c> property (0 when absent): the shared counter of contention tests.</summary>
    public static int Count(MembershipEntry entry) =>
        entry.Properties.TryGetValue("count", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary><paramref name="entry"/> with its <c>count</c> property set to <paramref name="count"/>.</summary>
    public static MembershipEntry WithCount(MembershipEntry entry, int count) =>
        entry with { Properties = new Dictionary<string, string>(entry.Properties) { ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
}
