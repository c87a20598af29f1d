using System.Net;
using GenCluster.Transport;

namespace GenCluster.Runtime.Messaging;

/// <summary>Opens authenticated, framed connections (silos to silos, clients to gateways).</summary>
internal interface IFrameConnector
{
    /// <summary>Opens a connection to <paramref name="remote"/>, proving <paramref name="self"/>; frames go to <paramref name="handler"/>.</summary>
    Task<IFrameConnection> ConnectAsync(EndPoint remote, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken);
}
