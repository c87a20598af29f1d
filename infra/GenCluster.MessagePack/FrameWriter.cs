using System.Buffers;
using System.Buffers.Binary;

namespace GenCluster.MessagePack;

/// <summary>Writes frames: a 4-byte big-endian payload length, then the payload (one MessagePack value).</summary>
public static class FrameWriter
{
    /// <summary>Writes a frame around an already encoded payload.</summary>
    /// <param name="output">Where the frame goes (e.g. a PipeWriter).</param>
    /// <param name="payload">Exactly one encoded MessagePack value.</param>
    /// <param name="maxFrameSize">Largest payload allowed (the receiver's limit).</param>
    /// <exception cref="ArgumentException">The payload is empty or larger than <paramref name="maxFrameSize"/>.</exception>
    public static void WriteFrame(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, int maxFrameSize = MessagePackFrame.DefaultMaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (payload.IsEmpty)
        {
            throw new ArgumentException("a frame carries one MessagePack value; the payload is empty", nameof(payload));
        }

        if (payload.Length > maxFrameSize)
        {
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the maximum frame size {maxFrameSize}", nameof(payload));
        }

        var header = output.GetSpan(MessagePackFrame.HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        output.Advance(MessagePackFrame.HeaderSize);
        var body = output.GetSpan(payload.Length);
        payload.CopyTo(body);
        output.Advance(payload.Length);
    }

    /// <summary>
    /// Writes a frame whose payload is produced by <paramref name="body"/>. The payload is encoded into a pooled
    /// buffer first (its length must be known before the header), then copied to <paramref name="output"/>.
    /// </summary>
    /// <typeparam name="TState">Type of the caller's state.</typeparam>
    /// <param name="output">Where the frame goes.</param>
    /// <param name="state">State passed to <paramref name="body"/>.</param>
    /// <param name="body">Writes exactly one MessagePack value.</param>
    /// <param name="maxFrameSize">Largest payload allowed (the receiver's limit).</param>
    /// <exception cref="ArgumentException">The payload is empty or larger than <paramref name="maxFrameSize"/>.</exception>
    public static void WriteFrame<TState>(IBufferWriter<byte> output, TState state, FrameBodyWriter<TState> body, int maxFrameSize = MessagePackFrame.DefaultMaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new PooledBufferWriter();
        var writer = new MessagePackWriter(buffer);
        body(ref writer, state);
        WriteFrame(output, buffer.WrittenSpan, maxFrameSize);
    }
}
