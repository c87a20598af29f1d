using System.Net;
using System.Net.Sockets;

namespace GenCluster.Testing.Processes;

/// <summary>Free TCP ports on 127.0.0.1, picked by binding port 0 and releasing it.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nobody listens on right now: a silo can take it, and a connection to it is refused.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
