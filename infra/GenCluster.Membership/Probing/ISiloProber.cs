using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>
/// Asks another silo directly whether it is alive. Implemented by the runtime as a ping over the silo-to-silo
/// transport; the membership agent only decides what the answers mean.
/// </summary>
public interface ISiloProber
{
    /// <summary>Pings <paramref name="target"/>.</summary>
    /// <param name="target">The silo to ping, generation included: a different incarnation on the same endpoint must not answer for it.</param>
    /// <param name="timeout">How long the agent will wait; it stops waiting then even if the prober does not.</param>
    /// <param name="ct">Cancelled when the probe is given up (timeout or agent shutdown).</param>
    /// <returns><see langword="true"/> when the target answered in time; <see langword="false"/> or an exception when it did not.</returns>
    Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken ct);
}
