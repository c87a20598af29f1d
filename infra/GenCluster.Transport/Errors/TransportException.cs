namespace GenCluster.Transport;

/// <summary>The base of the transport's own failures: catch this to handle any of them.</summary>
public class TransportException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TransportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public TransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
