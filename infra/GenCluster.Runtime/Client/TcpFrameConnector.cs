using System.Net;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;

namespace GenCluster.Runtime.Client;

/// <summary>A client's network: outgoing TCP connections to gateways.</summary>
internal sealed class TcpFrameConnector : IFrameConnector
{
    private readonly TransportClient _client;

    /// <summary>Creates the connector over <paramref name="client"/>.</summary>
    public TcpFrameConnector(TransportClient client)
    {
        _client = client;
    }

    /// <inheritdoc />
    public Task<IFrameConnection> ConnectAsync(EndPoint remote, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken) =>
        _client.ConnectAsync(remote, self, handler, cancellationToken);
}
