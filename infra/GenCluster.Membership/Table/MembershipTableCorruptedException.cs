namespace GenCluster.Membership;

/// <summary>
/// The stored membership table cannot be understood (not JSON, a field missing or malformed, a silo twice).
/// No silo can safely decide anything from it, so reads and writes fail until an operator repairs or removes it.
/// </summary>
public sealed class MembershipTableCorruptedException : Exception
{
    public MembershipTableCorruptedException(string location, string problem, Exception? innerException = null)
        : base($"the membership table at '{location}' is corrupted: {problem}", innerException)
    {
        Location = location;
    }

    public MembershipTableCorruptedException()
    {
        Location = string.Empty;
    }

    public MembershipTableCorruptedException(string message)
        : base(message)
    {
        Location = string.Empty;
    }

    public MembershipTableCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Location = string.Empty;
    }

    /// <summary>Where the table is stored (a file path or a blob URI).</summary>
    public string Location { get; }
}
