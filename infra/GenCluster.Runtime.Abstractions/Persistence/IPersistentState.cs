namespace GenCluster.Runtime;

/// <summary>
/// A grain's durable state, as Orleans' <c>IPersistentState&lt;T&gt;</c>. Writes are conditional on the
/// ETag read last: losing a race throws <see cref="InconsistentStateException"/>, never overwrites.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The current value (a new <typeparamref name="TState"/> when nothing is stored).</summary>
    TState State { get; set; }

    /// <summary>The version tag of the stored record, or null when none exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state if the stored ETag still matches <see cref="Etag"/>.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record if its ETag still matches.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/> to be supplied by the runtime.</summary>
/// <param name="stateName">The state's name within the grain (several states per grain are allowed).</param>
/// <param name="storageName">The named storage provider; null for the default one.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    public string? StorageName { get; } = storageName;
}

/// <summary>A conditional write lost a race: the stored ETag is not the one this writer read.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedEtag, string? expectedEtag) : base(message)
    {
        StoredEtag = storedEtag;
        ExpectedEtag = expectedEtag;
    }

    public InconsistentStateException()
    {
    }

    public InconsistentStateException(string message) : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The ETag in storage (null when the record does not exist).</summary>
    public string? StoredEtag { get; }

    /// <summary>The ETag the writer expected (null when it expected no record).</summary>
    public string? ExpectedEtag { get; }
}

/// <summary>Stores grain state records as opaque bytes with ETags (in memory, files, Azure blobs).</summary>
public interface IGrainStorage
{
    /// <summary>The stored bytes and ETag, or (null, null) when there is no record.</summary>
    Task<(byte[]? Data, string? Etag)> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes when the stored ETag equals <paramref name="expectedEtag"/> (null: no record may exist); returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs.</exception>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Deletes when the stored ETag equals <paramref name="expectedEtag"/>.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs.</exception>
    Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken);
}
