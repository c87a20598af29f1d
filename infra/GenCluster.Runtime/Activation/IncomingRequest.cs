using GenCluster.MessagePack;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Activation;

/// <summary>A request delivered to an activation: the message, where replies go, and its cancellation.</summary>
internal sealed class IncomingRequest : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Creates a request.</summary>
    /// <param name="message">The request message.</param>
    /// <param name="replyTo">Where replies go.</param>
    /// <param name="invoker">The generated invoker of the called interface.</param>
    /// <param name="method">The called method.</param>
    /// <param name="interleaves">Whether its turns may interleave (reentrant grain or <c>[AlwaysInterleave]</c> method).</param>
    /// <param name="expires">When the caller stops waiting; an expired request is dropped instead of run.</param>
    public IncomingRequest(Message message, IReplyChannel replyTo, IGrainMethodInvoker invoker, GrainMethod method, bool interleaves, DateTimeOffset? expires)
    {
        Message = message;
        ReplyTo = replyTo;
        Invoker = invoker;
        Method = method;
        Interleaves = interleaves;
        Expires = expires;
        Key = RequestKey.Of(message);
    }

    /// <summary>The request message.</summary>
    public Message Message { get; }

    /// <summary>Where replies go.</summary>
    public IReplyChannel ReplyTo { get; }

    /// <summary>The generated invoker of the called interface.</summary>
    public IGrainMethodInvoker Invoker { get; }

    /// <summary>The called method.</summary>
    public GrainMethod Method { get; }

    /// <summary>Whether its turns may interleave with others.</summary>
    public bool Interleaves { get; }

    /// <summary>When the caller stops waiting (null: never).</summary>
    public DateTimeOffset? Expires { get; }

    /// <summary>Whether the caller waits for no reply.</summary>
    public bool IsOneWay => Message.Kind == MessageKind.OneWayRequest;

    /// <summary>Identifies the request among everything an activation serves: sender and message id.</summary>
    public RequestKey Key { get; }

    /// <summary>Cancelled when the caller cancels or gives up.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Whether the caller cancelled.</summary>
    public bool IsCancelled => _cancellation.IsCancellationRequested;

    /// <summary>Signals cancellation to the running method.</summary>
    public void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile: nothing to cancel.
        }
    }

    /// <inheritdoc />
    /// <remarks>Also gives back the received frame the body is kept in, if nothing did yet (a dropped or refused request).</remarks>
    public void Dispose()
    {
        OwnedBytes.Release(Message.Body);
        _cancellation.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method.Name} #{Message.Id} from {Message.SenderKey}";
}
