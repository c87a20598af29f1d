using System.Text.Json;
using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// Turns a membership table into its JSON document (a file, or one blob) and back, rejecting anything malformed with a
/// <see cref="MembershipTableCorruptedException"/> that names the file and the problem.
/// </summary>
/// <remarks>
/// The file is <c>{"format": 1, "version": N, "rows": [{"silo": "host:port@generation", "name", "status",
/// "startTime", "iAmAliveTime", "suspicions": [{"voter", "time"}], "properties": {..}, "etag"}]}</c>,
/// readable by an operator; times are ISO 8601 with offsets.
/// </remarks>
internal static class MembershipTableFileFormat
{
    /// <summary>The format number written into every file; files with another one are refused.</summary>
    public const int CurrentFormat = 1;

    public static byte[] Serialize(MembershipTableSnapshot table)
    {
        var document = new MembershipTableDocument
        {
            Format = CurrentFormat,
            Version = table.Version,
            Rows = [.. table.Rows.Select(ToDocument)],
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, MembershipTableJsonContext.Default.MembershipTableDocument);
    }

    public static MembershipTableSnapshot Deserialize(ReadOnlySpan<byte> json, string location)
    {
        if (json.IsEmpty)
        {
            throw new MembershipTableCorruptedException(location, "the file is empty");
        }

        MembershipTableDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, MembershipTableJsonContext.Default.MembershipTableDocument);
        }
        catch (JsonException e)
        {
            throw new MembershipTableCorruptedException(location, $"not a valid table document ({e.Message})", e);
        }

        if (document is null)
        {
            throw new MembershipTableCorruptedException(location, "the document is null");
        }

        if (document.Format != CurrentFormat)
        {
            throw new MembershipTableCorruptedException(location, $"format {document.Format} is not the supported format {CurrentFormat}");
        }

        if (document.Version < 0)
        {
            throw new MembershipTableCorruptedException(location, $"negative table version {document.Version}");
        }

        var rows = new List<MembershipRow>(document.Rows.Count);
        var seen = new HashSet<SiloAddress>();
        foreach (var rowDocument in document.Rows)
        {
            var row = FromDocument(rowDocument, location);
            if (!seen.Add(row.Entry.Silo))
            {
                throw new MembershipTableCorruptedException(location, $"silo {row.Entry.Silo} has more than one row");
            }

            rows.Add(row);
        }

        return new MembershipTableSnapshot(document.Version, rows);
    }

    private static MembershipRowDocument ToDocument(MembershipRow row) => new()
    {
        Silo = row.Entry.Silo.ToString(),
        Name = row.Entry.SiloName,
        Status = row.Entry.Status,
        StartTime = row.Entry.StartTime,
        IAmAliveTime = row.Entry.IAmAliveTime,
        Suspicions = [.. row.Entry.Suspicions.Select(vote => new SuspectVoteDocument { Voter = vote.Voter.ToString(), Time = vote.Time })],
        Properties = new Dictionary<string, string>(row.Entry.Properties, StringComparer.Ordinal),
        ETag = row.ETag,
    };

    private static MembershipRow FromDocument(MembershipRowDocument document, string location)
    {
        if (string.IsNullOrEmpty(document.ETag))
        {
            throw new MembershipTableCorruptedException(location, $"the row of {document.Silo} has an empty etag");
        }

        if (!Enum.IsDefined(document.Status) || document.Status == SiloStatus.None)
        {
            throw new MembershipTableCorruptedException(location, $"the row of {document.Silo} has invalid status {document.Status}");
        }

        var votes = document.Suspicions.Select(vote => new SuspectVote(ParseAddress(vote.Voter, location), vote.Time)).ToArray();
        var entry = new MembershipEntry(
            ParseAddress(document.Silo, location),
            document.Name,
            document.Status,
            document.StartTime,
            document.IAmAliveTime,
            votes,
            document.Properties);
        return new MembershipRow(entry.Freeze(), document.ETag);
    }

    private static SiloAddress ParseAddress(string text, string location)
    {
        try
        {
            return SiloAddress.Parse(text);
        }
        catch (FormatException e)
        {
            throw new MembershipTableCorruptedException(location, e.Message, e);
        }
    }
}
