namespace GenCluster.Transport;

/// <summary>
/// A connection feature of <see cref="SocketConnection"/>: while a connection's bytes arrive in quick succession (a
/// call and its reply, a stream of frames), its receive loop polls the socket for up to a set time before it goes to
/// sleep in the kernel. A sleeping thread is woken by the sender's kernel work and, on a virtual machine, often by an
/// interrupt to an idle virtual CPU: tens of microseconds per message, which in a grain call's round trip is more
/// than the call's own work. Polling trades up to that time of CPU per gap for skipping the wake-up.
/// </summary>
/// <remarks>
/// Only a gap that was short the last time is polled for: an idle connection (heartbeats, a client that calls once a
/// minute) sleeps as before and costs nothing, and a burst that ends costs one poll of at most the set time. Bytes that
/// are already there need no poll. One connection of the process polls at a time: the poll holds up the socket event
/// thread it runs on (where the silo runs socket completions inline), so this bounds the cost to one such thread and
/// one core, and other sockets on that thread wait at most the set time.
/// </remarks>
internal interface IReceivePollingFeature
{
    /// <summary>Starts polling for at most <paramref name="limit"/> per gap; <see cref="TimeSpan.Zero"/> stops it.</summary>
    /// <param name="limit">Longest poll before the receive loop sleeps.</param>
    /// <param name="statistics">Counts the polls and those that bytes answered.</param>
    void PollBeforeSleeping(TimeSpan limit, TransportStatistics statistics);
}
