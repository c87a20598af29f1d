namespace GenCluster.Runtime.Persistence;

/// <summary>
/// Grain state in this process's memory, with the same ETag rules as durable storage. For single-process
/// clusters and tests: the state is lost with the process.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(GrainId GrainId, string StateName), (byte[] Data, string Etag)> _records = [];

    /// <inheritdoc />
    public Task<(byte[]? Data, string? Etag)> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            return Task.FromResult(_records.TryGetValue((grainId, stateName), out var record)
                ? ((byte[]?)record.Data.ToArray(), (string?)record.Etag)
                : (null, null));
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            CheckEtag(grainId, stateName, expectedEtag);
            string etag = Guid.NewGuid().ToString("N");
            _records[(grainId, stateName)] = (data.ToArray(), etag);
            return Task.FromResult(etag);
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            CheckEtag(grainId, stateName, expectedEtag);
            _records.Remove((grainId, stateName));
            return Task.CompletedTask;
        }
    }

    private void CheckEtag(GrainId grainId, string stateName, string? expectedEtag)
    {
        string? stored = _records.TryGetValue((grainId, stateName), out var record) ? record.Etag : null;
        if (!string.Equals(stored, expectedEtag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"state '{stateName}' of {grainId} was changed by someone else (stored ETag {stored ?? "none"}, expected {expectedEtag ?? "none"})",
                stored,
                expectedEtag);
        }
    }
}
