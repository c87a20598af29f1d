using Azure.Storage.Blobs;

namespace GenCluster.Storage.Azure;

/// <summary>
/// A container that a blob provider creates on its first write when it is missing (unless it is provisioned by an
/// operator): one Create Container request per process at most, however many writers start at once.
/// </summary>
internal sealed class BlobContainerProvisioner
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    /// <summary>Wraps <paramref name="container"/>; <paramref name="create"/> false: it is assumed to exist.</summary>
    public BlobContainerProvisioner(BlobContainerClient container, bool create)
    {
        Container = container;
        _ready = !create;
    }

    /// <summary>The container's client.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>Creates the container unless it was created (or found) before by this instance.</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await Container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
