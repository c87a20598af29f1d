namespace GenCluster.Storage;

/// <summary>When a write may commit (HTTP's If-None-Match: * and If-Match, as Azure Blob Storage defines them).</summary>
public readonly record struct WriteCondition
{
    private WriteCondition(bool ifNotExists, string? ifMatch) => (IfNotExists, IfMatch) = (ifNotExists, ifMatch);

    /// <summary>Always: create or overwrite.</summary>
    public static WriteCondition None => default;

    /// <summary>Only when no object has the name: the write that creates it wins, every other one fails.</summary>
    public static WriteCondition IfNoneExists => new(true, null);

    /// <summary>Only when the object exists with ETag <paramref name="etag"/>: a compare-and-swap.</summary>
    public static WriteCondition IfMatches(string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return new(false, etag);
    }

    /// <summary>The write must create the object.</summary>
    public bool IfNotExists { get; }

    /// <summary>The ETag the object must have, or null.</summary>
    public string? IfMatch { get; }

    /// <inheritdoc />
    public override string ToString() => IfNotExists ? "if none exists" : IfMatch is null ? "unconditionally" : $"if ETag is {IfMatch}";
}
