using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>
/// Answers which devices the cluster's active silos advertise (their <c>--devices</c>), so a client can place an
/// experiment's workers itself (<c>devices: auto</c>). Stateless; any key works, clients use <see cref="TrainingKeys.ClusterDevices"/>.
/// </summary>
public interface IClusterDevicesGrain : IGrainWithStringKey
{
    /// <summary>Every active silo's devices as <c>silo/device</c>, silos ordered by name, devices in advertised order.</summary>
    Task<string[]> GetDevices();
}
