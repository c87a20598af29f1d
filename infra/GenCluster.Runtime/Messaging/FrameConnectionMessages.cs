using GenCluster.MessagePack;
using GenCluster.Transport;

namespace GenCluster.Runtime.Messaging;

/// <summary>Sends runtime messages over a frame connection: one message per frame, encoded in place.</summary>
internal static class FrameConnectionMessages
{
    private static readonly FrameBodyWriter<Message> Write = MessageCodec.Write;

    /// <summary>
    /// Encodes <paramref name="message"/> straight into the connection's send buffer and sends it. The size estimate
    /// lets even a large body (a tensor) be encoded in place instead of being copied again.
    /// </summary>
    public static ValueTask SendMessageAsync(this IFrameConnection connection, Message message, CancellationToken cancellationToken = default) =>
        connection.SendAsync(message, Write, MessageCodec.EstimateSize(message), cancellationToken);
}
