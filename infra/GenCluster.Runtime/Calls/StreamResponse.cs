using System.Threading.Channels;
using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>Collects the replies of a streaming request in arrival order, for one consumer.</summary>
internal sealed class StreamResponse : IResponseSink
{
    private readonly Channel<Message> _replies = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    /// <summary>The replies: items, then a stream end or an error; faults with the failure, if any.</summary>
    public ChannelReader<Message> Replies => _replies.Reader;

    /// <inheritdoc />
    public void OnReply(Message reply)
    {
        _replies.Writer.TryWrite(reply);
        if (reply.IsFinalReply)
        {
            _replies.Writer.TryComplete();
        }
    }

    /// <inheritdoc />
    public void OnFailure(Exception exception) => _replies.Writer.TryComplete(exception);
}
