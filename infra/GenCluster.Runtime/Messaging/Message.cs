namespace GenCluster.Runtime.Messaging;

/// <summary>
/// The envelope of everything silos and clients say to each other: one message per frame, encoded by
/// <see cref="MessageCodec"/>. Requests carry the target grain and method; replies carry the request's
/// <see cref="Id"/> so the caller can match them.
/// </summary>
internal sealed record Message
{
    /// <summary>Correlates a request with its replies; unique per sender (silo or client) for its lifetime.</summary>
    public required long Id { get; init; }

    /// <summary>What the message is.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>The grain a request, cancel or reply is about (default for pings).</summary>
    public GrainId Target { get; init; }

    /// <summary>Stable id of the called grain interface.</summary>
    public uint InterfaceId { get; init; }

    /// <summary>Stable id of the called method within the interface.</summary>
    public uint MethodId { get; init; }

    /// <summary>The silo that sent the message, when a silo sent it.</summary>
    public SiloAddress? SendingSilo { get; init; }

    /// <summary>The client that sent the message, when a client sent it.</summary>
    public string? SendingClient { get; init; }

    /// <summary>The silo incarnation the sender meant; a different incarnation on the same endpoint refuses it.</summary>
    public SiloAddress? TargetSilo { get; init; }

    /// <summary>How long the caller still waits for a response; the callee drops the request once it expires.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Why the runtime refused the request (<see cref="MessageKind.Error"/> only).</summary>
    public RejectionReason Rejection { get; init; }

    /// <summary>With <see cref="RejectionReason.NotHere"/>: where the grain is activated, when the rejecting silo knows.</summary>
    public SiloAddress? Redirect { get; init; }

    /// <summary>Request-context values (W3C trace context, tenant) imported by the turn that handles the request.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Arguments, result, stream item or error description, as MessagePack.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Whether this is a reply that ends its request (no more replies follow).</summary>
    public bool IsFinalReply => Kind is MessageKind.Response or MessageKind.Error or MessageKind.StreamEnd or MessageKind.Pong;

    /// <summary>Who sent the message, as a key unique in the cluster (silo address or client id).</summary>
    public string SenderKey => SendingSilo?.ToString() ?? SendingClient ?? string.Empty;

    /// <summary>A reply to this request.</summary>
    public Message CreateReply(MessageKind kind, ReadOnlyMemory<byte> body = default) => new()
    {
        Id = Id,
        Kind = kind,
        Target = Target,
        InterfaceId = InterfaceId,
        MethodId = MethodId,
        Body = body,
    };

    /// <summary>An error reply carrying <paramref name="exception"/>.</summary>
    public Message CreateErrorReply(Exception exception) => CreateReply(MessageKind.Error, RemoteExceptionCodec.Encode(exception));

    /// <summary>A runtime rejection of this request.</summary>
    public Message CreateRejection(RejectionReason reason, string description, SiloAddress? redirect = null) =>
        CreateReply(MessageKind.Error, RemoteExceptionCodec.Encode(new SiloUnavailableException(description))) with
        {
            Rejection = reason,
            Redirect = redirect,
        };

    /// <inheritdoc />
    public override string ToString() => $"{Kind} #{Id} {Target} from {SenderKey}";
}
