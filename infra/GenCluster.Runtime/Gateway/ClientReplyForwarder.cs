using GenCluster.MessagePack;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Gateway;

/// <summary>
/// Relays the replies of a request the gateway made on a client's behalf back to that client, renumbered with the
/// client's message id. Replies are sent one after the other, so stream items reach the client in order.
/// </summary>
internal sealed partial class ClientReplyForwarder : IResponseSink
{
    private readonly object _lock = new();
    private readonly IFrameConnection _client;
    private readonly long _clientRequestId;
    private readonly Action _onFinished;
    private readonly ILogger _logger;
    private Task _sending = Task.CompletedTask;

    /// <summary>Creates a forwarder to <paramref name="client"/> for its request <paramref name="clientRequestId"/>.</summary>
    public ClientReplyForwarder(IFrameConnection client, long clientRequestId, Action onFinished, ILogger logger)
    {
        _client = client;
        _clientRequestId = clientRequestId;
        _onFinished = onFinished;
        _logger = logger;
    }

    /// <inheritdoc />
    public void OnReply(Message reply)
    {
        // The client does not reroute: a rejection that reaches it is just an error.
        Enqueue(reply with { Id = _clientRequestId, SendingSilo = null, TargetSilo = null, Rejection = RejectionReason.None, Redirect = null });
        if (reply.IsFinalReply)
        {
            _onFinished();
        }
    }

    /// <inheritdoc />
    public void OnFailure(Exception exception)
    {
        Enqueue(new Message { Id = _clientRequestId, Kind = MessageKind.Error, Body = RemoteExceptionCodec.Encode(exception) });
        _onFinished();
    }

    private void Enqueue(Message message)
    {
        lock (_lock)
        {
            _sending = SendAfterAsync(_sending, message);
        }
    }

    private async Task SendAfterAsync(Task previous, Message message)
    {
        await previous.ConfigureAwait(false);
        try
        {
            if (_client.IsConnected)
            {
                await _client.SendMessageAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            LogForwardFailed(_logger, e, message.Kind, _client.Remote);
        }
        finally
        {
            // Sent (the send has read the body by now) or dropped: a reply kept in the frame it arrived in gives it back.
            OwnedBytes.Release(message.Body);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not forward a {Kind} to {Client}; it is gone")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, MessageKind kind, PeerIdentity client);
}
