using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>
/// Delivers requests for a caller: the silo's message router (locates the activation) or the client's gateway
/// connection. Replies, failures, timeouts and cancellations all end up in the sink.
/// </summary>
internal interface IRequestSender
{
    /// <summary>A fresh message id for a request.</summary>
    long NextMessageId();

    /// <summary>Sends <paramref name="request"/>; never throws — every failure reaches <paramref name="sink"/>.</summary>
    /// <param name="request">The request (its sender fields are filled in here).</param>
    /// <param name="sink">Receives the replies.</param>
    /// <param name="timeout">How long to wait for the final reply; null waits indefinitely.</param>
    /// <param name="what">What is called (a method name, say); with the target grain it describes the request in errors and logs.</param>
    /// <param name="cancellationToken">Cancels the request: the sink fails and the callee is told.</param>
    void SendRequest(Message request, IResponseSink sink, TimeSpan? timeout, string what, CancellationToken cancellationToken);

    /// <summary>Sends a one-way request; completes once it is handed to the network (or to a local activation).</summary>
    ValueTask SendOneWayAsync(Message request, CancellationToken cancellationToken);

    /// <summary>The caller lost interest in a request (a stream consumer stopped early): forget it and tell the callee.</summary>
    void AbandonRequest(long requestId);
}
