namespace GenCluster.MessagePack;

/// <summary>
/// The single exception type thrown when MessagePack input is malformed, truncated, of the wrong type,
/// or exceeds a configured limit. Decoding untrusted bytes never throws anything else.
/// </summary>
public sealed class MessagePackDecodeException : Exception
{
    /// <summary>Creates an exception for a rejected input.</summary>
    /// <param name="error">The category of the failure.</param>
    /// <param name="reason">A human-readable explanation.</param>
    /// <param name="position">Byte offset (from the start of the reader's input) of the offending value.</param>
    public MessagePackDecodeException(MessagePackDecodeError error, string reason, long position)
        : this(error, reason, position, null)
    {
    }

    /// <summary>Creates an exception for a rejected input, wrapping an inner decode failure.</summary>
    /// <param name="error">The category of the failure.</param>
    /// <param name="reason">A human-readable explanation.</param>
    /// <param name="position">Byte offset of the offending value.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public MessagePackDecodeException(MessagePackDecodeError error, string reason, long position, Exception? innerException)
        : base($"MessagePack decode error ({error}) at byte {position}: {reason}", innerException)
    {
        Error = error;
        Reason = reason;
        Position = position;
    }

    /// <summary>The category of the failure.</summary>
    public MessagePackDecodeError Error { get; }

    /// <summary>A human-readable explanation of the failure.</summary>
    public string Reason { get; }

    /// <summary>Byte offset, from the start of the input, of the value being decoded when the failure was detected.</summary>
    public long Position { get; }
}
