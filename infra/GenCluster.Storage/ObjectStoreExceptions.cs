namespace GenCluster.Storage;

/// <summary>A conditional write or delete found the object in another state than required; nothing changed.</summary>
public sealed class ObjectConditionFailedException(string name, WriteCondition condition, string? actualEtag, Exception? inner = null)
    : Exception($"object '{name}' was not written: the condition '{condition}' does not hold (stored ETag: {actualEtag ?? "none"})", inner)
{
    /// <summary>The object's name.</summary>
    public string ObjectName { get; } = name;

    /// <summary>The condition that failed.</summary>
    public WriteCondition Condition { get; } = condition;

    /// <summary>The stored ETag when known (null: no object or unknown).</summary>
    public string? ActualEtag { get; } = actualEtag;
}

/// <summary>An object's bytes do not match its recorded length or SHA-256: it was truncated or altered.</summary>
public sealed class ObjectCorruptedException(string name, string reason)
    : IOException($"object '{name}' is corrupted: {reason}")
{
    /// <summary>The object's name.</summary>
    public string ObjectName { get; } = name;
}
