namespace GenCluster.Runtime.Client;

/// <summary>How a <see cref="ClusterClient"/> reaches the cluster and who it is.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>Gateway endpoints (<c>host:port</c> of silos), tried in order; on connection loss the next one is used.</summary>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>The cluster to join; gateways of other clusters refuse the client. Default <c>dev</c>.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The cluster's shared secret (required; proven on connect, never sent).</summary>
    public string ClusterSecret { get; set; } = string.Empty;

    /// <summary>The tenant the client acts for; grains see it as <see cref="RequestContext.Tenant"/>.</summary>
    public string? Tenant { get; set; }

    /// <summary>A name for the gateways' logs (user, host). Default <c>client</c>.</summary>
    public string ClientName { get; set; } = "client";
}
