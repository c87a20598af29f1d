using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>Waits for the single final reply of a request.</summary>
internal sealed class UnaryResponse : IResponseSink
{
    private readonly TaskCompletionSource<Message> _reply;

    /// <summary>Creates a sink whose continuations run on the thread pool, never on a connection's read loop.</summary>
    public UnaryResponse()
        : this(continueWhereTheReplyArrives: false)
    {
    }

    /// <summary>Creates a sink.</summary>
    /// <param name="continueWhereTheReplyArrives">
    /// Lets the awaiting code continue on the thread that delivers the reply. Only for callers that resume through a
    /// scheduler of their own anyway (a grain's turn): it saves them a thread-pool hop per call.
    /// </param>
    public UnaryResponse(bool continueWhereTheReplyArrives)
    {
        _reply = new(continueWhereTheReplyArrives ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes with the final reply (which may be an error reply) or faults with the failure.</summary>
    public Task<Message> Task => _reply.Task;

    /// <inheritdoc />
    public void OnReply(Message reply)
    {
        if (reply.IsFinalReply)
        {
            _reply.TrySetResult(reply);
        }
    }

    /// <inheritdoc />
    public void OnFailure(Exception exception) => _reply.TrySetException(exception);
}
