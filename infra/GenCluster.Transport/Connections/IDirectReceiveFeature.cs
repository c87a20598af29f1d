using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// A connection feature of <see cref="SocketConnection"/>: the rest of a large frame is received from the socket
/// straight into the reader's own array, instead of into the receive pipe and then copied out of it.
/// </summary>
internal interface IDirectReceiveFeature
{
    /// <summary>
    /// Asks for the next <paramref name="destination"/>.Length bytes of the stream to be received into
    /// <paramref name="destination"/>. Granted only to a reader running inline in the receive loop's flush, having
    /// consumed everything the pipe holds (so those bytes really are the next ones). When it is granted, the reader
    /// goes back to reading the pipe; its read then returns canceled once <paramref name="destination"/> is full, and
    /// <see cref="TryTakeDirectReceived"/> says so.
    /// </summary>
    /// <param name="destination">Where the bytes go; filled completely before the reader is woken.</param>
    /// <returns>False when the request cannot be granted now (the reader keeps reading the pipe).</returns>
    bool TryReceiveDirect(Memory<byte> destination);

    /// <summary>Whether a granted direct receive has completed (and forgets it).</summary>
    /// <returns>True once after the destination of a granted request has been filled.</returns>
    bool TryTakeDirectReceived();

    /// <summary>
    /// Whether <paramref name="transport"/> is this connection's own pair of pipes. A layer that wrapped them (and so
    /// may still hold bytes of its own) must not use the feature: ordering with the socket would be lost.
    /// </summary>
    /// <param name="transport">The pipes the caller reads and writes.</param>
    /// <returns>True when the caller talks to the socket's pipes directly.</returns>
    bool Serves(IDuplexPipe transport);
}
