using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>Waits for the single final reply of a request.</summary>
internal sealed class UnaryResponse : IResponseSink
{
    // Continuations run asynchronously so grain code never runs on a connection's read loop.
    private readonly TaskCompletionSource<Message> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
