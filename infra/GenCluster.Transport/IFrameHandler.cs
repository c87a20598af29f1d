using System.Buffers;

namespace GenCluster.Transport;

/// <summary>
/// What the layer above the transport (the runtime's message center) does with a connection. Calls for one
/// connection never overlap: <see cref="OnConnectedAsync"/> first, then every frame in arrival order, each awaited
/// before the next is read, then <see cref="OnDisconnectedAsync"/> exactly once.
/// </summary>
public interface IFrameHandler
{
    /// <summary>The handshake succeeded; <see cref="IFrameConnection.Remote"/> is authenticated.</summary>
    /// <param name="connection">The new connection.</param>
    ValueTask OnConnectedAsync(IFrameConnection connection);

    /// <summary>A frame arrived. If this throws, the connection is closed with that exception as the error.</summary>
    /// <param name="connection">The connection it arrived on.</param>
    /// <param name="payload">
    /// One MessagePack value; valid only until the returned task completes (copy what you keep) — except a large frame
    /// the transport assembled into an array of its own (<see cref="GenCluster.MessagePack.OwnedBytes"/>), which may be kept.
    /// </param>
    ValueTask OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload);

    /// <summary>The connection is gone.</summary>
    /// <param name="connection">The closed connection.</param>
    /// <param name="error">
    /// Null for an orderly close (by either side, at a frame boundary); otherwise why it ended, e.g. a
    /// <see cref="FrameProtocolException"/> or a <see cref="ConnectionClosedException"/>.
    /// </param>
    ValueTask OnDisconnectedAsync(IFrameConnection connection, Exception? error);
}
