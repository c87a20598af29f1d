using GenCluster.Runtime;

namespace GenCluster.Transport;

/// <summary>
/// Who a peer is, as proven by the connection handshake: every field is covered by the peer's HMAC proof, so it was
/// sent by someone who holds the cluster secret.
/// </summary>
/// <param name="Role">Silo or client.</param>
/// <param name="Name">A name for logs and diagnostics (a silo's name, a client's user or host); 1 to 256 characters.</param>
/// <param name="Silo">The silo's address (endpoint and generation), when the peer is a silo.</param>
/// <param name="Tenant">The tenant a client acts for, when the cluster is shared.</param>
public sealed record PeerIdentity(ConnectionRole Role, string Name, SiloAddress? Silo = null, string? Tenant = null)
{
    /// <summary>Longest accepted <see cref="Name"/> and <see cref="Tenant"/>, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Checks that the identity can be sent in a handshake.</summary>
    /// <exception cref="ArgumentException">The name is empty or too long, the tenant is too long, or the role is unknown.</exception>
    internal void Validate(string parameterName)
    {
        if (!Enum.IsDefined(Role))
        {
            throw new ArgumentException($"unknown connection role {Role}", parameterName);
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength)
        {
            throw new ArgumentException($"a peer name must have 1 to {MaxNameLength} characters", parameterName);
        }

        if (Tenant is { Length: > MaxNameLength })
        {
            throw new ArgumentException($"a tenant must have at most {MaxNameLength} characters", parameterName);
        }
    }

    /// <summary><c>silo 'name' (host:port@generation)</c> or <c>client 'name' [tenant]</c>, for logs.</summary>
    public override string ToString()
    {
        var role = Role == ConnectionRole.Silo ? "silo" : "client";
        var silo = Silo is { } address ? $" ({address})" : string.Empty;
        var tenant = Tenant is null ? string.Empty : $" [{Tenant}]";
        return $"{role} '{Name}'{silo}{tenant}";
    }
}
