namespace GenCluster.Runtime.Messaging;

/// <summary>Where the replies to one incoming request go: back over the connection it came on, or to a local caller.</summary>
internal interface IReplyChannel
{
    /// <summary>Sends <paramref name="reply"/>; completes when it is handed over (so stream items keep their order).</summary>
    ValueTask SendAsync(Message reply);
}
