using System.Net;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>
/// An authenticated, framed TCP connection to another silo or a client. Each frame carries one opaque MessagePack
/// value; frames arrive in the order they were sent. Safe to send from many threads at once: every send writes one
/// whole frame, never interleaved with another. <see cref="IAsyncDisposable.DisposeAsync"/> closes in order: frames
/// already queued are sent, the peer sees the end of the stream, and the connection is aborted if the peer has not
/// hung up within <see cref="TransportOptions.GracefulCloseTimeout"/>.
/// </summary>
public interface IFrameConnection : IAsyncDisposable
{
    /// <summary>The authenticated identity of the other side.</summary>
    PeerIdentity Remote { get; }

    /// <summary>The other side's network endpoint, when known.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>True until the connection starts closing, after which every send fails.</summary>
    bool IsConnected { get; }

    /// <summary>Completes (never faults) when the connection is gone and the handler has been told.</summary>
    Task Closed { get; }

    /// <summary>Sends one frame whose payload is <paramref name="payload"/> (one encoded MessagePack value).</summary>
    /// <param name="payload">The frame payload; it may be reused as soon as the returned task completes.</param>
    /// <param name="cancellationToken">
    /// Stops waiting (for the send lock, or for room in the send queue). A frame already queued is still sent.
    /// </param>
    /// <returns>Completes when the frame is queued; waits while the send queue is full (backpressure).</returns>
    /// <exception cref="ArgumentException">The payload is empty or larger than the maximum frame size.</exception>
    /// <exception cref="ConnectionClosedException">The connection is closed or closing.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one frame whose payload <paramref name="write"/> encodes straight into the connection's send buffer.
    /// </summary>
    /// <typeparam name="TState">The caller's state, passed to <paramref name="write"/> (use a static lambda).</typeparam>
    /// <param name="state">State for <paramref name="write"/>.</param>
    /// <param name="write">Writes exactly one MessagePack value. If it throws, nothing is sent and the connection stays usable.</param>
    /// <param name="cancellationToken">Stops waiting, as for <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">The encoded payload is empty or larger than the maximum frame size (nothing is sent).</exception>
    /// <exception cref="ConnectionClosedException">The connection is closed or closing.</exception>
    ValueTask SendAsync<TState>(TState state, FrameBodyWriter<TState> write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="SendAsync{TState}(TState, FrameBodyWriter{TState}, CancellationToken)"/>, with the expected body
    /// size: a body that fits the hint is encoded in place even when it is large (a tensor), instead of being
    /// continued in pooled buffers and copied into the send queue once.
    /// </summary>
    /// <typeparam name="TState">The caller's state, passed to <paramref name="write"/>.</typeparam>
    /// <param name="state">State for <paramref name="write"/>.</param>
    /// <param name="write">Writes exactly one MessagePack value.</param>
    /// <param name="sizeHint">Expected payload size in bytes (an estimate; a larger body still works).</param>
    /// <param name="cancellationToken">Stops waiting, as for <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</param>
    ValueTask SendAsync<TState>(TState state, FrameBodyWriter<TState> write, int sizeHint, CancellationToken cancellationToken = default);

    /// <summary>Closes the connection at once, dropping frames not yet sent. The handler sees the reason as the error.</summary>
    /// <param name="reason">Why, for logs and for the handler.</param>
    void Abort(string reason);
}
