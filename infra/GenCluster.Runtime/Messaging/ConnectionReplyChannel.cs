using GenCluster.MessagePack;
using GenCluster.Transport;

namespace GenCluster.Runtime.Messaging;

/// <summary>Replies over the connection a request arrived on.</summary>
internal sealed class ConnectionReplyChannel : IReplyChannel
{
    private readonly IFrameConnection _connection;

    /// <summary>Creates a channel back over <paramref name="connection"/>.</summary>
    public ConnectionReplyChannel(IFrameConnection connection)
    {
        _connection = connection;
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(Message reply)
    {
        // A caller whose connection is gone has already failed its call; its replies have nowhere to go.
        if (_connection.IsConnected)
        {
            await _connection.SendMessageAsync(reply).ConfigureAwait(false);
        }
    }
}
