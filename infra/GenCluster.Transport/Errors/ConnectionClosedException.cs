namespace GenCluster.Transport;

/// <summary>The connection is closed (or closing), so the frame could not be sent; or why a connection ended.</summary>
public sealed class ConnectionClosedException : TransportException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionClosedException()
        : base("the connection is closed")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectionClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public ConnectionClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
