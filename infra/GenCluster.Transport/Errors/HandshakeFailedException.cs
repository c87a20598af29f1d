namespace GenCluster.Transport;

/// <summary>
/// The connection handshake failed: the server refused this peer (<see cref="RefusedByServer"/>, with the reason it
/// gave), or this side refused the server.
/// </summary>
public sealed class HandshakeFailedException : TransportException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="reason">The explanation (the server's own words when <paramref name="refusedByServer"/>).</param>
    /// <param name="refusedByServer">True when the server sent the refusal.</param>
    /// <param name="innerException">The failure that caused it, if any.</param>
    public HandshakeFailedException(HandshakeFailureKind kind, string reason, bool refusedByServer = false, Exception? innerException = null)
        : base(refusedByServer ? $"the server refused the connection ({kind}): {reason}" : $"handshake failed ({kind}): {reason}", innerException)
    {
        Kind = kind;
        Reason = reason;
        RefusedByServer = refusedByServer;
    }

    /// <summary>Creates the exception.</summary>
    public HandshakeFailedException()
        : this(HandshakeFailureKind.Malformed, "handshake failed")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HandshakeFailedException(string message)
        : this(HandshakeFailureKind.Malformed, message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public HandshakeFailedException(string message, Exception? innerException)
        : this(HandshakeFailureKind.Malformed, message, false, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public HandshakeFailureKind Kind { get; }

    /// <summary>The explanation; when <see cref="RefusedByServer"/>, the reason the server gave.</summary>
    public string Reason { get; }

    /// <summary>True when the server refused this peer; false when this side gave up on the server.</summary>
    public bool RefusedByServer { get; }
}
