using GenCluster.Runtime.Calls;

namespace GenCluster.Runtime.Messaging;

/// <summary>Replies to a caller on the same silo, straight into its pending request.</summary>
internal sealed class LocalReplyChannel : IReplyChannel
{
    private readonly PendingRequestTable _requests;

    /// <summary>Creates a channel into <paramref name="requests"/>.</summary>
    public LocalReplyChannel(PendingRequestTable requests)
    {
        _requests = requests;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(Message reply)
    {
        _requests.TryDeliver(reply);
        return ValueTask.CompletedTask;
    }
}
