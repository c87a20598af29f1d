using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Serialization;

namespace GenCluster.Runtime.Persistence;

/// <summary>
/// A grain's persistent state over an <see cref="IGrainStorage"/>, serialized with <see cref="Serializer{T}"/>.
/// Writes are conditional on the ETag read or written last, so a stale activation cannot overwrite a newer one.
/// </summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainStateLoader
    where TState : new()
{
    private readonly GrainId _grainId;
    private readonly string _stateName;
    private readonly string _storageName;
    private readonly IGrainStorage _storage;

    /// <summary>Creates the state <paramref name="stateName"/> of <paramref name="grainId"/> in <paramref name="storage"/>.</summary>
    public PersistentState(GrainId grainId, string stateName, string storageName, IGrainStorage storage)
    {
        _grainId = grainId;
        _stateName = stateName;
        _storageName = storageName;
        _storage = storage;
    }

    /// <inheritdoc />
    public TState State { get; set; } = new();

    /// <inheritdoc />
    public string? Etag { get; private set; }

    /// <inheritdoc />
    public bool RecordExists { get; private set; }

    /// <inheritdoc />
    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var (data, etag) = await _storage.ReadAsync(_grainId, _stateName, cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            State = new TState();
            Etag = null;
            RecordExists = false;
            return;
        }

        try
        {
            var reader = new MessagePackReader(data);
            State = Serializer<TState>.Instance.Deserialize(ref reader);
        }
        catch (MessagePackDecodeException e)
        {
            throw new InvalidOperationException($"state '{_stateName}' of {_grainId} in storage '{_storageName}' is not a valid {typeof(TState).Name}: {e.Message}", e);
        }

        Etag = etag;
        RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Serializer<TState>.Instance.Serialize(ref writer, State);
        Etag = await _storage.WriteAsync(_grainId, _stateName, buffer.WrittenMemory, Etag, cancellationToken).ConfigureAwait(false);
        RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await _storage.ClearAsync(_grainId, _stateName, Etag, cancellationToken).ConfigureAwait(false);
        State = new TState();
        Etag = null;
        RecordExists = false;
    }
}
