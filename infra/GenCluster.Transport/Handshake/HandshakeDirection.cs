namespace GenCluster.Transport;

/// <summary>
/// Which side a handshake proof is from. It is part of the HMAC input, so a server can never answer a client with the
/// client's own proof reflected back (nor the other way round).
/// </summary>
internal enum HandshakeDirection : byte
{
    /// <summary>The connecting peer proves itself to the server.</summary>
    ClientToServer = 1,

    /// <summary>The server proves itself to the connecting peer.</summary>
    ServerToClient = 2,
}
