using System.Buffers;
using System.IO.Pipelines;
using GenCluster.MessagePack;

namespace GenCluster.Transport;

/// <summary>Reads and writes single handshake frames on a connection's pipes, with the small handshake size limit.</summary>
internal static class HandshakeFrames
{
    /// <summary>Writes one handshake message as a frame and flushes it.</summary>
    /// <exception cref="HandshakeFailedException">The connection closed.</exception>
    public static async ValueTask WriteAsync<TMessage>(PipeWriter output, TMessage message, FrameBodyWriter<TMessage> write, CancellationToken cancellationToken)
    {
        FrameWriter.WriteFrame(output, message, write, HandshakeEncoding.MaxFrameSize);
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw ConnectionLost();
        }
    }

    /// <summary>
    /// Reads exactly one frame and decodes it, leaving any bytes after it (the peer's first application frames may
    /// already be there) unread in the pipe.
    /// </summary>
    /// <exception cref="HandshakeFailedException">The frame is malformed or too large, or the connection closed first.</exception>
    public static async ValueTask<TMessage> ReadAsync<TMessage>(PipeReader input, Func<ReadOnlySequence<byte>, TMessage> decode, CancellationToken cancellationToken)
    {
        var frames = new FrameReader(HandshakeEncoding.MaxFrameSize);
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool gotFrame = false;
            try
            {
                if (frames.TryReadFrame(ref buffer, out var payload))
                {
                    gotFrame = true;
                    return decode(payload);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    throw ConnectionLost();
                }
            }
            catch (MessagePackDecodeException e)
            {
                throw HandshakeEncoding.Malformed(e);
            }
            finally
            {
                // After a frame, mark only it consumed, so the next read sees what follows at once; otherwise wait for more.
                if (gotFrame)
                {
                    input.AdvanceTo(buffer.Start);
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
    }

    private static HandshakeFailedException ConnectionLost() =>
        new(HandshakeFailureKind.ConnectionLost, "the connection closed during the handshake");

    /// <summary>
    /// Turns whatever ended a handshake into a <see cref="HandshakeFailedException"/>: timeouts (the timeout token fired)
    /// and transport errors (resets, aborts) get their own kinds.
    /// </summary>
    public static HandshakeFailedException Classify(Exception error, CancellationToken timeout, TimeSpan timeoutValue) => error switch
    {
        HandshakeFailedException failed => failed,
        OperationCanceledException when timeout.IsCancellationRequested =>
            new HandshakeFailedException(HandshakeFailureKind.TimedOut, $"the handshake did not finish within {timeoutValue.TotalSeconds:0.###} s", innerException: error),
        _ => new HandshakeFailedException(HandshakeFailureKind.ConnectionLost, $"the connection failed during the handshake: {error.Message}", innerException: error),
    };
}
