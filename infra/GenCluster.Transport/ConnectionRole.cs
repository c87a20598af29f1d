namespace GenCluster.Transport;

/// <summary>What the peer at the other end of a connection is.</summary>
public enum ConnectionRole
{
    /// <summary>A silo: a member of the cluster that hosts grains.</summary>
    Silo,

    /// <summary>A client (SDK, command line) that calls grains through a gateway silo.</summary>
    Client,
}
