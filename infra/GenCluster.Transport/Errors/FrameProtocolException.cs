using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>
/// The peer broke the framing: a length of 0 or above the maximum, a payload that is not one MessagePack value (when
/// validated), or a stream that ends inside a frame. The connection is closed, since it can no longer be trusted.
/// </summary>
public sealed class FrameProtocolException : TransportException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The codec's category of the failure.</param>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The codec's exception, if any.</param>
    public FrameProtocolException(MessagePackDecodeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Creates the exception.</summary>
    public FrameProtocolException()
        : this(MessagePackDecodeError.InvalidFrame, "frame protocol violation")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FrameProtocolException(string message)
        : this(MessagePackDecodeError.InvalidFrame, message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public FrameProtocolException(string message, Exception? innerException)
        : this(MessagePackDecodeError.InvalidFrame, message, innerException)
    {
    }

    /// <summary>The codec's category of the failure (e.g. <see cref="MessagePackDecodeError.FrameTooLarge"/>).</summary>
    public MessagePackDecodeError Error { get; }
}
