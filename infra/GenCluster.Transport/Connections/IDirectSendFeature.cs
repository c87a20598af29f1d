using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// A connection feature of <see cref="SocketConnection"/>: sends blocks of memory straight to the socket, in order
/// with the output pipe, without copying them into the pipe first (a large tensor argument's array).
/// </summary>
internal interface IDirectSendFeature
{
    /// <summary>
    /// Sends <paramref name="segments"/> right after every byte already flushed to the output pipe. The caller must
    /// have flushed what should go first and must write nothing more to the pipe until the returned task completes.
    /// </summary>
    /// <param name="segments">The blocks, in order; they must stay unchanged until the task completes.</param>
    /// <returns>Completes when the blocks have been handed to the socket; faults when the connection fails first.</returns>
    Task SendAfterFlushedAsync(IReadOnlyList<ReadOnlyMemory<byte>> segments);

    /// <summary>
    /// Whether <paramref name="transport"/> is this connection's own pair of pipes. A layer that wrapped them (and so
    /// may still hold bytes of its own) must not use the feature: ordering with the socket would be lost.
    /// </summary>
    /// <param name="transport">The pipes the caller reads and writes.</param>
    /// <returns>True when the caller talks to the socket's pipes directly.</returns>
    bool Serves(IDuplexPipe transport);
}
