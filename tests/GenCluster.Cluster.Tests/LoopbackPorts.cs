using System.Net;
using System.Net.Sockets;

namespace GenCluster.Cluster.Tests;

/// <summary>Free TCP ports on 127.0.0.1, picked by binding port 0 and releasing it.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
