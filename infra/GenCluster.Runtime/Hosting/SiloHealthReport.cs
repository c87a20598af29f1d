namespace GenCluster.Runtime.Hosting;

/// <summary>A silo's health, as a health endpoint or an operator sees it.</summary>
/// <param name="Status">Where the silo is in its life.</param>
/// <param name="SiloName">The silo's name.</param>
/// <param name="Address">The silo's address, once started.</param>
/// <param name="Activations">Grain activations on this silo.</param>
/// <param name="ConnectedClients">Clients connected to this silo as their gateway.</param>
/// <param name="PendingRequests">Requests this silo has sent and waits on.</param>
/// <param name="ActiveSilos">Active silos in the latest membership view (this one included).</param>
/// <param name="MembershipVersion">The membership table version of that view.</param>
/// <param name="SharedMemoryLinks">
/// Connection directions to other silos on this host that carry large frames through shared memory (two per connection).
/// </param>
/// <param name="BytesSentThroughSharedMemory">Frame bytes this silo sent through shared memory so far.</param>
/// <param name="BytesReceivedThroughSharedMemory">Frame bytes this silo received through shared memory so far.</param>
/// <param name="ReceivePolls">Times a connection to another silo polled its socket between messages instead of sleeping.</param>
/// <param name="ReceivePollsAnswered">Those polls that bytes arrived during (a thread wake-up saved each).</param>
public sealed record SiloHealthReport(
    SiloLifecycleStatus Status,
    string SiloName,
    SiloAddress? Address,
    int Activations,
    int ConnectedClients,
    int PendingRequests,
    int ActiveSilos,
    long MembershipVersion,
    long SharedMemoryLinks = 0,
    long BytesSentThroughSharedMemory = 0,
    long BytesReceivedThroughSharedMemory = 0,
    long ReceivePolls = 0,
    long ReceivePollsAnswered = 0)
{
    /// <summary>Whether the silo serves calls.</summary>
    public bool IsHealthy => Status == SiloLifecycleStatus.Active;
}
