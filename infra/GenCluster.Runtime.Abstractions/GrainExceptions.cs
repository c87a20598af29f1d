namespace GenCluster.Runtime;

/// <summary>
/// An exception thrown by a grain on another silo, whose type is not one the caller can rebuild:
/// carries the remote type name, message and stack trace.
/// </summary>
public sealed class RemoteGrainException : Exception
{
    public RemoteGrainException(string remoteType, string message, string? remoteStackTrace)
        : base($"{remoteType}: {message}")
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    public RemoteGrainException()
    {
        RemoteType = string.Empty;
    }

    public RemoteGrainException(string message) : base(message)
    {
        RemoteType = string.Empty;
    }

    public RemoteGrainException(string message, Exception innerException) : base(message, innerException)
    {
        RemoteType = string.Empty;
    }

    /// <summary>Full type name of the original exception.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace where it was thrown, on the remote silo.</summary>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc />
    public override string? StackTrace => RemoteStackTrace is null ? base.StackTrace : $"{RemoteStackTrace}\n--- end of remote stack trace ---\n{base.StackTrace}";
}

/// <summary>A grain call got no response within its timeout.</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException(string message) : base(message)
    {
    }

    public GrainCallTimeoutException()
    {
    }

    public GrainCallTimeoutException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The silo a call was routed to is dead, unreachable or shutting down.</summary>
public sealed class SiloUnavailableException : Exception
{
    public SiloUnavailableException(string message) : base(message)
    {
    }

    public SiloUnavailableException()
    {
    }

    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
