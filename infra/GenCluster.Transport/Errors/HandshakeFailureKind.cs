namespace GenCluster.Transport;

/// <summary>Why a connection handshake failed.</summary>
public enum HandshakeFailureKind
{
    /// <summary>A handshake message was not the expected, well-formed MessagePack map (or its frame was too large).</summary>
    Malformed = 1,

    /// <summary>The peers belong to different clusters.</summary>
    ClusterMismatch,

    /// <summary>The peers speak different protocol versions.</summary>
    VersionMismatch,

    /// <summary>The connecting peer's proof is wrong: it does not hold the cluster secret (or replayed an old handshake).</summary>
    AuthenticationFailed,

    /// <summary>The server's proof is wrong: it does not hold the cluster secret (an impostor, or a misconfigured silo).</summary>
    ServerAuthenticationFailed,

    /// <summary>The handshake did not finish within <see cref="TransportOptions.HandshakeTimeout"/>.</summary>
    TimedOut,

    /// <summary>The connection closed or broke before the handshake finished.</summary>
    ConnectionLost,

    /// <summary>The server is shutting down and takes no new connections.</summary>
    ShuttingDown,

    /// <summary>The server refused for a reason this version does not know; see the reason text.</summary>
    Refused,
}
