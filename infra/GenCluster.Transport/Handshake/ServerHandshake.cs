using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// The server's side of the handshake: challenge, check the client's response (cluster, version, proof), then accept
/// with the server's own proof. Any failure is a <see cref="HandshakeFailedException"/> the caller reports to the peer
/// with <see cref="TryRefuseAsync"/>.
/// </summary>
internal sealed class ServerHandshake
{
    private readonly TransportOptions _options;
    private readonly ClusterKey _key;
    private readonly PeerIdentity _self;

    public ServerHandshake(TransportOptions options, ClusterKey key, PeerIdentity self)
    {
        _options = options;
        _key = key;
        _self = self;
    }

    /// <summary>
    /// Runs the handshake and returns the authenticated identity of the client, and whether both sides agreed to try
    /// shared memory (<see cref="TransportOptions.SharedMemory"/> on both, one host).
    /// </summary>
    /// <exception cref="HandshakeFailedException">The client is refused, or the connection broke.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the caller's timeout).</exception>
    public async Task<(PeerIdentity Client, bool SharedMemory)> AcceptAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        var serverNonce = ClusterKey.NewNonce();
        var challenge = new ServerChallenge(_options.ClusterId, _options.ProtocolVersion, serverNonce);
        await HandshakeFrames.WriteAsync(transport.Output, challenge, ServerChallenge.Write, cancellationToken).ConfigureAwait(false);

        var response = await HandshakeFrames.ReadAsync(transport.Input, ClientResponse.Read, cancellationToken).ConfigureAwait(false);
        if (response.ClusterId != _options.ClusterId)
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.ClusterMismatch,
                $"this server belongs to cluster '{_options.ClusterId}', not '{HandshakeEncoding.Truncate(response.ClusterId)}'");
        }

        if (response.ProtocolVersion != _options.ProtocolVersion)
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.VersionMismatch,
                $"this server speaks protocol version {_options.ProtocolVersion}, not {response.ProtocolVersion}");
        }

        if (!_key.VerifyProof(response.Proof, HandshakeDirection.ClientToServer, serverNonce, response.Nonce, response.ClusterId, response.ProtocolVersion, response.Identity))
        {
            throw new HandshakeFailedException(
                HandshakeFailureKind.AuthenticationFailed,
                "authentication failed: the proof does not match this cluster's secret");
        }

        var proof = _key.ComputeProof(HandshakeDirection.ServerToClient, serverNonce, response.Nonce, _options.ClusterId, _options.ProtocolVersion, _self);
        bool sharedMemory = _options.SharedMemory && _self.Role == ConnectionRole.Silo && response.Identity.Role == ConnectionRole.Silo
            && SharedMemoryHost.IsThisHost(response.SharedMemoryHost);
        var verdict = ServerVerdict.Accept(_self, proof, sharedMemory ? SharedMemoryHost.Key : null);
        await HandshakeFrames.WriteAsync(transport.Output, verdict, ServerVerdict.Write, cancellationToken).ConfigureAwait(false);
        return (response.Identity, sharedMemory);
    }

    /// <summary>
    /// Tells the peer why it is refused, if the connection still takes bytes; bounded by <paramref name="timeout"/>
    /// since a refused peer may not be reading at all.
    /// </summary>
    public static async Task TryRefuseAsync(PipeWriter output, HandshakeFailedException failure, TimeSpan timeout, TimeProvider timeProvider)
    {
        if (failure.Kind == HandshakeFailureKind.ConnectionLost)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(timeout, timeProvider);
            var verdict = ServerVerdict.Refuse(failure.Kind, failure.Reason);
            await HandshakeFrames.WriteAsync(output, verdict, ServerVerdict.Write, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or HandshakeFailedException)
        {
            // Best effort: the peer is being dropped anyway.
        }
    }
}
