using Microsoft.Extensions.Hosting;

namespace GenCluster.Transport;

/// <summary>
/// The lifetime of the Kestrel host a <see cref="TransportServer"/> runs inside its owner's process: started and
/// stopped only by the server, never by Ctrl+C or SIGTERM (the default console lifetime would stop the transport on
/// its own while the silo is still shutting down in order).
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
