namespace GenCluster.Transport;

/// <summary>Nothing accepted the TCP connection at the remote endpoint (no server listening there).</summary>
public sealed class ConnectionRefusedException : TransportException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionRefusedException()
        : base("the connection was refused")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the socket error that caused it.</summary>
    public ConnectionRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
