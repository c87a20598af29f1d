using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>Receives the replies of one outstanding request.</summary>
internal interface IResponseSink
{
    /// <summary>A reply arrived; <see cref="Message.IsFinalReply"/> says whether more follow. Must not block.</summary>
    void OnReply(Message reply);

    /// <summary>The request ended without a final reply (timeout, cancellation, lost connection, dead silo). Must not block.</summary>
    void OnFailure(Exception exception);
}
