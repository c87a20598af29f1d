using System.Net;

namespace GenCluster.Runtime.Hosting;

/// <summary>Who a silo is and where it listens.</summary>
public sealed class SiloOptions
{
    /// <summary>The silo's name, unique in the cluster; pinned grains address it (key <c>silo-1/cpu:0</c>). Default <c>silo</c>.</summary>
    public string SiloName { get; set; } = "silo";

    /// <summary>The cluster this silo belongs to; silos and clients of other clusters are refused. Default <c>dev</c>.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>
    /// The secret silos and clients of the cluster share (the transport proves knowledge of it on connect). When set it
    /// is used as <c>TransportOptions.ClusterSecret</c>; it may instead come from the transport's own configuration.
    /// </summary>
    public string? ClusterSecret { get; set; }

    /// <summary>Where the silo listens for silos and clients (one port for both); port 0 picks a free port. Default 127.0.0.1:11111.</summary>
    public IPEndPoint ListenEndpoint { get; set; } = new(IPAddress.Loopback, 11111);

    /// <summary>The host other silos and clients reach this silo at; default: the listen address (required when listening on any address).</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>Devices this silo offers to pinned grains (e.g. <c>cpu:0</c>, <c>cuda:1</c>), advertised in membership as <c>devices</c>.</summary>
    public IList<string> Devices { get; set; } = [];

    /// <summary>How long a graceful shutdown may take to deactivate grains before it leaves the cluster anyway. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
