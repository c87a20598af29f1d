using System.Net;
using GenCluster.Transport;

namespace GenCluster.Runtime.Messaging;

/// <summary>Accepts the connections of other silos and of clients on a silo's endpoint.</summary>
internal interface IFrameListener
{
    /// <summary>Starts accepting connections on <paramref name="endpoint"/>; returns the bound endpoint.</summary>
    Task<IPEndPoint> ListenAsync(IPEndPoint endpoint, PeerIdentity self, IFrameHandler handler, CancellationToken cancellationToken);

    /// <summary>Stops accepting and closes the accepted connections (aborting them when <paramref name="cancellationToken"/> is cancelled).</summary>
    Task StopListeningAsync(CancellationToken cancellationToken);
}
