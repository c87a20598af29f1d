using System.Buffers;
using System.Buffers.Binary;

namespace GenCluster.MessagePack;

/// <summary>
/// Extracts complete frames (4-byte big-endian length, then one MessagePack value) from buffered input such as a
/// <c>System.IO.Pipelines</c> read result. The announced length is checked against <see cref="MaxFrameSize"/> as soon
/// as the 4 header bytes are available — before waiting for, or buffering, the payload.
/// </summary>
/// <remarks>
/// Typical loop: <c>while (frames.TryReadFrame(ref buffer, out var payload)) { … }</c>, then
/// <c>pipe.AdvanceTo(buffer.Start, buffer.End)</c>. After a <see cref="MessagePackDecodeException"/> the stream is
/// out of sync and the connection must be dropped. Error positions are offsets in the whole stream read by this
/// instance. Not thread-safe: one instance per connection.
/// </remarks>
public sealed class FrameReader
{
    private long _streamOffset;

    /// <summary>Creates a frame reader.</summary>
    /// <param name="maxFrameSize">Largest payload accepted, in bytes.</param>
    /// <param name="validationOptions">
    /// When not null, each payload is checked (with these limits) to hold exactly one well-formed MessagePack value
    /// before it is returned.
    /// </param>
    public FrameReader(int maxFrameSize = MessagePackFrame.DefaultMaxFrameSize, MessagePackReaderOptions? validationOptions = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        MaxFrameSize = maxFrameSize;
        ValidationOptions = validationOptions;
    }

    /// <summary>Largest payload accepted, in bytes.</summary>
    public int MaxFrameSize { get; }

    /// <summary>Limits used to validate each payload, or null when payloads are not validated here.</summary>
    public MessagePackReaderOptions? ValidationOptions { get; }

    /// <summary>Number of bytes (headers and payloads) of the complete frames returned so far.</summary>
    public long BytesConsumed => _streamOffset;

    /// <summary>
    /// Takes one complete frame from the front of <paramref name="buffer"/>, if there is one.
    /// </summary>
    /// <param name="buffer">Buffered input; on success it is advanced past the frame.</param>
    /// <param name="payload">The frame's payload, a slice of the input.</param>
    /// <returns><see langword="false"/> when more input is needed (nothing is consumed).</returns>
    /// <exception cref="MessagePackDecodeException">
    /// The announced length is 0 or above <see cref="MaxFrameSize"/>, or validation is on and the payload is not
    /// exactly one well-formed value.
    /// </exception>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (!TryReadLength(buffer, out int length))
        {
            return false;
        }

        if (buffer.Length - MessagePackFrame.HeaderSize < length)
        {
            return false;
        }

        var candidate = buffer.Slice(MessagePackFrame.HeaderSize, length);
        if (ValidationOptions is not null)
        {
            Validate(candidate, ValidationOptions, _streamOffset + MessagePackFrame.HeaderSize);
        }

        payload = candidate;
        buffer = buffer.Slice(candidate.End);
        _streamOffset += MessagePackFrame.HeaderSize + length;
        return true;
    }

    /// <summary>
    /// Reads the length of the frame at the front of <paramref name="buffer"/> without consuming anything, so that a
    /// caller can assemble a large payload itself as it arrives (then <see cref="CompleteAssembledFrame"/>).
    /// </summary>
    /// <param name="buffer">Buffered input.</param>
    /// <param name="length">The payload length announced by the header.</param>
    /// <returns><see langword="false"/> when fewer than 4 bytes are buffered.</returns>
    /// <exception cref="MessagePackDecodeException">The announced length is 0 or above <see cref="MaxFrameSize"/>.</exception>
    public bool TryReadLength(in ReadOnlySequence<byte> buffer, out int length)
    {
        length = 0;
        if (buffer.Length < MessagePackFrame.HeaderSize)
        {
            return false;
        }

        uint announced;
        if (buffer.FirstSpan.Length >= MessagePackFrame.HeaderSize)
        {
            announced = BinaryPrimitives.ReadUInt32BigEndian(buffer.FirstSpan);
        }
        else
        {
            Span<byte> header = stackalloc byte[MessagePackFrame.HeaderSize];
            buffer.Slice(0, MessagePackFrame.HeaderSize).CopyTo(header);
            announced = BinaryPrimitives.ReadUInt32BigEndian(header);
        }

        if (announced == 0)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidFrame, "empty frame (a frame carries one MessagePack value)", _streamOffset);
        }

        if (announced > (uint)MaxFrameSize)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.FrameTooLarge, $"frame of {announced} bytes exceeds the maximum {MaxFrameSize}", _streamOffset);
        }

        length = (int)announced;
        return true;
    }

    /// <summary>
    /// Accounts for a frame whose header was read with <see cref="TryReadLength"/> and whose payload the caller
    /// assembled from the following input; validates the payload as <see cref="TryReadFrame"/> does.
    /// </summary>
    /// <param name="payload">The assembled payload.</param>
    /// <exception cref="MessagePackDecodeException">Validation is on and the payload is not exactly one well-formed value.</exception>
    public void CompleteAssembledFrame(in ReadOnlySequence<byte> payload)
    {
        if (ValidationOptions is not null)
        {
            Validate(payload, ValidationOptions, _streamOffset + MessagePackFrame.HeaderSize);
        }

        _streamOffset += MessagePackFrame.HeaderSize + payload.Length;
    }

    /// <summary>Checks that <paramref name="payload"/> holds exactly one well-formed MessagePack value.</summary>
    /// <param name="payload">A frame payload.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <exception cref="MessagePackDecodeException">The payload is malformed, or has bytes after the value.</exception>
    public static void ValidatePayload(in ReadOnlySequence<byte> payload, MessagePackReaderOptions? options = null) =>
        Validate(payload, options ?? MessagePackReaderOptions.Default, 0);

    private static void Validate(in ReadOnlySequence<byte> payload, MessagePackReaderOptions options, long offset)
    {
        var reader = new MessagePackReader(payload, options);
        try
        {
            reader.Skip();
        }
        catch (MessagePackDecodeException e)
        {
            throw new MessagePackDecodeException(e.Error, e.Reason, offset + e.Position, e);
        }

        if (!reader.End)
        {
            throw new MessagePackDecodeException(
                MessagePackDecodeError.InvalidFrame,
                $"frame payload has {reader.Remaining} bytes after its value",
                offset + reader.Consumed);
        }
    }
}
