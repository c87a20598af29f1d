using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// The connecting side of the handshake: check the server's challenge (cluster, version), answer with this peer's
/// proof, then check the server's verdict and its proof, so an impostor server without the secret is rejected.
/// </summary>
internal sealed class ClientHandshake
{
    private readonly TransportOptions _options;
    private readonly ClusterKey _key;
    private readonly PeerIdentity _self;

    public ClientHandshake(TransportOptions options, ClusterKey key, PeerIdentity self)
    {
        _options = options;
        _key = key;
        _self = self;
    }

    /// <summary>
    /// Runs the handshake and returns the authenticated identity of the server, and whether both sides agreed to try
    /// shared memory (<see cref="TransportOptions.SharedMemory"/> on both, one host).
    /// </summary>
    /// <exception cref="HandshakeFailedException">The server refused us, or we refuse the server, or the connection broke.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<(PeerIdentity Server, bool SharedMemory)> ConnectAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        var first = await HandshakeFrames.ReadAsync(transport.Input, ReadServerMessage, cancellationToken).ConfigureAwait(false);
        if (first is ServerVerdict refusal)
        {
            // A server that is shutting down refuses before it challenges.
            throw Refused(refusal);
        }

        var challenge = (ServerChallenge)first;
        if (challenge.ClusterId != _options.ClusterId)
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.ClusterMismatch,
                $"the server belongs to cluster '{HandshakeEncoding.Truncate(challenge.ClusterId)}', expected '{_options.ClusterId}'");
        }

        if (challenge.ProtocolVersion != _options.ProtocolVersion)
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.VersionMismatch,
                $"the server speaks protocol version {challenge.ProtocolVersion}, expected {_options.ProtocolVersion}");
        }

        var clientNonce = ClusterKey.NewNonce();
        var proof = _key.ComputeProof(HandshakeDirection.ClientToServer, challenge.Nonce, clientNonce, _options.ClusterId, _options.ProtocolVersion, _self);
        // Between silos only: a client's frames pass through the gateway, which forwards them without handing the
        // received frame back, and a shared-memory block that is never handed back is lost to the link.
        var sharedMemoryHost = _options.SharedMemory && _self.Role == ConnectionRole.Silo ? SharedMemoryHost.Key : null;
        var response = new ClientResponse(_options.ClusterId, _options.ProtocolVersion, _self, clientNonce, proof, sharedMemoryHost);
        await HandshakeFrames.WriteAsync(transport.Output, response, ClientResponse.Write, cancellationToken).ConfigureAwait(false);

        var verdict = await HandshakeFrames.ReadAsync(transport.Input, ServerVerdict.Read, cancellationToken).ConfigureAwait(false);
        if (!verdict.Accepted)
        {
            throw Refused(verdict);
        }

        var server = verdict.Identity!;
        if (!_key.VerifyProof(verdict.Proof, HandshakeDirection.ServerToClient, challenge.Nonce, clientNonce, _options.ClusterId, _options.ProtocolVersion, server))
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.ServerAuthenticationFailed,
                $"the server claiming to be {server} could not prove it holds this cluster's secret");
        }

        return (server, sharedMemoryHost is not null && SharedMemoryHost.IsThisHost(verdict.SharedMemoryHost));
    }

    private static object ReadServerMessage(System.Buffers.ReadOnlySequence<byte> payload) =>
        HandshakeEncoding.PeekType(payload) == ServerVerdict.Type ? ServerVerdict.Read(payload) : ServerChallenge.Read(payload);

    private static HandshakeFailedException Refused(ServerVerdict verdict) =>
        new(verdict.Failure ?? HandshakeFailureKind.Refused, verdict.Reason ?? "no reason given", refusedByServer: true);
}
