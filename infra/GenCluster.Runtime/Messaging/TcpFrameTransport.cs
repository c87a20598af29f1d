using System.Net;
using GenCluster.Transport;

namespace GenCluster.Runtime.Messaging;

/// <summary>A silo's network: the transport's TCP server (Kestrel underneath) and client, authenticated and framed.</summary>
internal sealed class TcpFrameTransport : IFrameListener, IFrameConnector
{
    private readonly TransportServer _server;
    private readonly TransportClient _client;

    /// <summary>Creates the transport over <paramref name="server"/> and <paramref name="client"/>.</summary>
    public TcpFrameTransport(TransportServer server, TransportClient client)
    {
        _server = server;
        _client = client;
    }

    /// <inheritdoc />
    public Task<IPEndPoint> ListenAsync(IPEndPoint endpoint, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken) =>
        _server.StartAsync(endpoint, self, handler, cancellationToken);

    /// <inheritdoc />
    public Task StopListeningAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IFrameConnection> ConnectAsync(EndPoint remote, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken) =>
        _client.ConnectAsync(remote, self, handler, cancellationToken);
}
