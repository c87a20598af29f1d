namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Identifies a request among everything a silo serves: its sender (a silo or a client) and the sender's message id.
/// A value, not a formatted string, because every request needs it twice on the hot path.
/// </summary>
/// <param name="Silo">The sending silo, when a silo sent it.</param>
/// <param name="Client">The sending client, when a client sent it.</param>
/// <param name="Id">The sender's message id.</param>
internal readonly record struct RequestKey(SiloAddress? Silo, string? Client, long Id)
{
    /// <summary>The key of <paramref name="message"/> (a request, or a cancel that refers to one).</summary>
    public static RequestKey Of(Message message) => new(message.SendingSilo, message.SendingClient, message.Id);
}
