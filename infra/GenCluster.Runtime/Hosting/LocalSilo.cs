using GenCluster.Membership;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Hosting;

/// <summary>
/// This silo's identity and lifecycle stage, shared by the runtime's services. The address is known only once the
/// listener is bound (the configured port may be 0), so it is set during start.
/// </summary>
internal sealed class LocalSilo
{
    private SiloAddress? _address;
    private LocalSiloDetails? _details;
    private volatile SiloLifecycleStatus _status = SiloLifecycleStatus.Created;

    /// <summary>Creates the identity from the configured silo name.</summary>
    public LocalSilo(IOptions<SiloOptions> options)
    {
        Name = options.Value.SiloName;
    }

    /// <summary>The silo's name (pinned placement addresses silos by it).</summary>
    public string Name { get; }

    /// <summary>The silo's address.</summary>
    /// <exception cref="InvalidOperationException">The silo has not bound its listener yet.</exception>
    public SiloAddress Address => _address ?? throw new InvalidOperationException($"silo '{Name}' has no address before it starts");

    /// <summary>The address, or null before start.</summary>
    public SiloAddress? AddressOrNull => _address;

    /// <summary>What this silo writes into its membership row (set with the address).</summary>
    /// <exception cref="InvalidOperationException">The silo has not bound its listener yet.</exception>
    public LocalSiloDetails Details => _details ?? throw new InvalidOperationException($"silo '{Name}' has no membership details before it starts");

    /// <summary>Where the silo is in its life.</summary>
    public SiloLifecycleStatus Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>Whether new activations may be created here (not once shutdown began).</summary>
    public bool AcceptsActivations => _status is SiloLifecycleStatus.Starting or SiloLifecycleStatus.Active;

    /// <summary>Sets the address and membership details once the listen endpoint is known.</summary>
    public void SetIdentity(LocalSiloDetails details)
    {
        if (_address is not null && _address != details.Address)
        {
            throw new InvalidOperationException($"silo '{Name}' already has address {_address}");
        }

        _details = details;
        _address = details.Address;
    }

    /// <summary>Whether <paramref name="silo"/> is this silo.</summary>
    public bool IsLocal(SiloAddress? silo) => silo is not null && silo == _address;
}
