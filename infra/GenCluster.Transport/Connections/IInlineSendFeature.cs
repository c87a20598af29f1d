using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// A connection feature of <see cref="SocketConnection"/>: the one who flushes the output pipe may carry the flushed
/// bytes to the socket on its own thread, once it has let go of its own locks, instead of waking the send loop on
/// another thread. Saves a thread wake-up per message when the connection is idle; while the send loop is busy,
/// flushed bytes still wait for its next socket write (batched) as before.
/// </summary>
/// <remarks>
/// Use: <see cref="DeferSendLoop"/>, flush the pipe, then always <see cref="RunDeferredSend"/> on the same thread.
/// While a frame handler runs inline in a receive loop, the send is put off until that loop has handed every frame
/// of its read to the handler, so the replies to a batch of requests still leave in one socket write.
/// </remarks>
internal interface IInlineSendFeature
{
    /// <summary>Until <see cref="RunDeferredSend"/> on this thread, a flush that wakes the send loop leaves it waiting.</summary>
    void DeferSendLoop();

    /// <summary>
    /// Ends <see cref="DeferSendLoop"/>. If the flush woke the send loop, runs its next pass: on this thread when
    /// <paramref name="onThisThread"/> (the caller holds no locks), else on the thread pool (the caller is about to
    /// wait for the flush, which needs the loop to run).
    /// </summary>
    /// <param name="onThisThread">Whether the send may run here, now (or at the end of the current receive batch).</param>
    /// <returns>True when the flush woke the send loop and its pass runs (or will run) on this thread.</returns>
    bool RunDeferredSend(bool onThisThread);

    /// <summary>
    /// Whether <paramref name="transport"/> is this connection's own pair of pipes. A layer that wrapped them must
    /// not use the feature: it would not be the pipe whose send loop is deferred.
    /// </summary>
    /// <param name="transport">The pipes the caller reads and writes.</param>
    /// <returns>True when the caller talks to the socket's pipes directly.</returns>
    bool Serves(IDuplexPipe transport);
}
