using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>What a control frame says.</summary>
internal enum ControlKind : byte
{
    /// <summary>The sender created a segment for its frames to us: its name, size and token.</summary>
    Offer = 1,

    /// <summary>We opened the peer's segment: it may send frames through it.</summary>
    Accept = 2,

    /// <summary>We could not open the peer's segment (the reason is given); it keeps sending over the socket.</summary>
    Decline = 3,

    /// <summary>The next frame's payload is in the sender's segment: a block offset and a length.</summary>
    Frame = 4,
}

/// <summary>
/// A frame for the transport itself, never shown to the handler: the length header has its top bit set (a length no
/// data frame can have, as frames are at most 2 GiB − 1), and the body is one kind byte and fixed fields. Sent only to a
/// peer that announced a shared-memory host key in the handshake, so other peers never see one.
/// </summary>
internal readonly record struct ControlFrame(ControlKind Kind, long Offset, long Length, string Text, byte[]? Token)
{
    /// <summary>Largest control body.</summary>
    public const int MaxBodySize = 256;

    private const uint ControlBit = 0x8000_0000;
    private const int TokenSize = 16;
    private const int MaxTextBytes = 200;

    /// <summary>Whether the 4-byte header at the start of <paramref name="buffer"/> announces a control frame.</summary>
    public static bool StartsControlFrame(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < MessagePackFrame.HeaderSize)
        {
            return false;
        }

        return (buffer.FirstSpan.Length > 0 ? buffer.FirstSpan[0] : buffer.Slice(0, 1).FirstSpan[0]) >= 0x80;
    }

    /// <summary>Takes one whole control frame off the front of <paramref name="buffer"/>.</summary>
    /// <returns>False when it has not fully arrived.</returns>
    /// <exception cref="MessagePackDecodeException">The frame is not a well-formed control frame.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ControlFrame frame)
    {
        frame = default;
        Span<byte> header = stackalloc byte[MessagePackFrame.HeaderSize];
        buffer.Slice(0, MessagePackFrame.HeaderSize).CopyTo(header);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header) & ~ControlBit;
        if (length is 0 or > MaxBodySize)
        {
            throw Malformed($"a control frame of {length} bytes");
        }

        if (buffer.Length < MessagePackFrame.HeaderSize + length)
        {
            return false;
        }

        Span<byte> body = stackalloc byte[MaxBodySize];
        body = body[..(int)length];
        buffer.Slice(MessagePackFrame.HeaderSize, length).CopyTo(body);
        buffer = buffer.Slice(MessagePackFrame.HeaderSize + length);
        frame = Decode(body);
        return true;
    }

    /// <summary>Writes an offer of segment <paramref name="name"/> (not flushed).</summary>
    public static void WriteOffer(IBufferWriter<byte> output, string name, long size, byte[] token)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var body = Begin(output, 1 + 8 + TokenSize + nameBytes.Length, ControlKind.Offer);
        BinaryPrimitives.WriteInt64BigEndian(body, size);
        token.CopyTo(body[8..]);
        nameBytes.CopyTo(body[(8 + TokenSize)..]);
        output.Advance(MessagePackFrame.HeaderSize + 1 + 8 + TokenSize + nameBytes.Length);
    }

    /// <summary>Writes an acceptance of the peer's segment (not flushed).</summary>
    public static void WriteAccept(IBufferWriter<byte> output)
    {
        Begin(output, 1, ControlKind.Accept);
        output.Advance(MessagePackFrame.HeaderSize + 1);
    }

    /// <summary>Writes a refusal of the peer's segment with a reason, cut to 200 bytes (not flushed).</summary>
    public static void WriteDecline(IBufferWriter<byte> output, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        int length = Math.Min(text.Length, MaxTextBytes);
        var body = Begin(output, 1 + length, ControlKind.Decline);
        text.AsSpan(0, length).CopyTo(body);
        output.Advance(MessagePackFrame.HeaderSize + 1 + length);
    }

    /// <summary>Writes the descriptor of a frame in the sender's segment (not flushed).</summary>
    public static void WriteFrame(IBufferWriter<byte> output, long blockOffset, int length)
    {
        var body = Begin(output, 1 + 8 + 4, ControlKind.Frame);
        BinaryPrimitives.WriteInt64BigEndian(body, blockOffset);
        BinaryPrimitives.WriteInt32BigEndian(body[8..], length);
        output.Advance(MessagePackFrame.HeaderSize + 1 + 8 + 4);
    }

    // The header and kind byte; returns the span after them.
    private static Span<byte> Begin(IBufferWriter<byte> output, int bodyLength, ControlKind kind)
    {
        var span = output.GetSpan(MessagePackFrame.HeaderSize + bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(span, ControlBit | (uint)bodyLength);
        span[MessagePackFrame.HeaderSize] = (byte)kind;
        return span.Slice(MessagePackFrame.HeaderSize + 1, bodyLength - 1);
    }

    private static ControlFrame Decode(ReadOnlySpan<byte> body)
    {
        var fields = body[1..];
        switch ((ControlKind)body[0])
        {
            case ControlKind.Offer when fields.Length > 8 + TokenSize:
                var name = fields[(8 + TokenSize)..];
                if (name.Length > MaxTextBytes || !Ascii.IsValid(name))
                {
                    throw Malformed("an offer whose segment name is not short ASCII");
                }

                return new ControlFrame(ControlKind.Offer, 0, BinaryPrimitives.ReadInt64BigEndian(fields), Encoding.ASCII.GetString(name), fields.Slice(8, TokenSize).ToArray());
            case ControlKind.Accept when fields.IsEmpty:
                return new ControlFrame(ControlKind.Accept, 0, 0, "", null);
            case ControlKind.Decline:
                return new ControlFrame(ControlKind.Decline, 0, 0, Encoding.UTF8.GetString(fields), null);
            case ControlKind.Frame when fields.Length == 12:
                return new ControlFrame(ControlKind.Frame, BinaryPrimitives.ReadInt64BigEndian(fields), BinaryPrimitives.ReadInt32BigEndian(fields[8..]), "", null);
            default:
                throw Malformed($"a control frame of kind {body[0]} with {fields.Length} bytes of fields");
        }
    }

    private static MessagePackDecodeException Malformed(string what) =>
        new(MessagePackDecodeError.InvalidFrame, $"malformed control frame: {what}", position: 0);
}
