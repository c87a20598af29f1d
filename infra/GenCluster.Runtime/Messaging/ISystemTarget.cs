namespace GenCluster.Runtime.Messaging;

/// <summary>
/// A per-silo runtime endpoint addressed like a grain (grain type <c>sys.*</c>) but without activation, turns or
/// placement: the directory partition, the client manifest. Requests to it carry the target silo explicitly.
/// </summary>
internal interface ISystemTarget
{
    /// <summary>The grain type that addresses this target in messages, e.g. <c>sys.directory</c>.</summary>
    string GrainType { get; }

    /// <summary>Handles <paramref name="request"/> and returns the reply body; exceptions become error replies.</summary>
    ValueTask<ReadOnlyMemory<byte>> InvokeAsync(Message request, CancellationToken cancellationToken);
}
