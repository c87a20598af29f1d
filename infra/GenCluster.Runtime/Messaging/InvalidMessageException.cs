namespace GenCluster.Runtime.Messaging;

/// <summary>
/// A frame did not hold a well-formed message. Raised for every kind of bad input (malformed MessagePack, wrong
/// shapes, unknown kinds, bad addresses), so a receiver can drop the connection without crashing.
/// </summary>
public sealed class InvalidMessageException : Exception
{
    public InvalidMessageException(string message) : base(message)
    {
    }

    public InvalidMessageException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public InvalidMessageException()
    {
    }
}
