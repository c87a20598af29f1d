using System.Text.Json.Serialization;

namespace GenCluster.Membership;

/// <summary>The JSON shape of a membership table file; see <see cref="MembershipTableFileFormat"/>.</summary>
internal sealed class MembershipTableDocument
{
    public required int Format { get; init; }

    public required long Version { get; init; }

    public required List<MembershipRowDocument> Rows { get; init; }
}

/// <summary>One row of a membership table file.</summary>
internal sealed class MembershipRowDocument
{
    public required string Silo { get; init; }

    public required string Name { get; init; }

    public required SiloStatus Status { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset IAmAliveTime { get; init; }

    public required List<SuspectVoteDocument> Suspicions { get; init; }

    public required Dictionary<string, string> Properties { get; init; }

    [JsonPropertyName("etag")]
    public required string ETag { get; init; }
}

/// <summary>One suspicion vote in a membership table file.</summary>
internal sealed class SuspectVoteDocument
{
    public required string Voter { get; init; }

    public required DateTimeOffset Time { get; init; }
}
