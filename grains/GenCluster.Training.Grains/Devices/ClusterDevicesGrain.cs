using GenCluster.Contracts.Training;
using GenCluster.Membership;
using GenCluster.Runtime;

namespace GenCluster.Training.Grains.Devices;

/// <summary>Reads the advertised devices of the active silos from this silo's current membership snapshot.</summary>
internal sealed class ClusterDevicesGrain(MembershipAgent membership) : Grain, IClusterDevicesGrain
{
    public Task<string[]> GetDevices()
    {
        var devices = membership.Current.Silos.Values
            .Where(e => e.Status == SiloStatus.Active)
            .OrderBy(e => e.SiloName, StringComparer.Ordinal)
            .SelectMany(e => (e.Properties.TryGetValue("devices", out var list) ? list : string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => $"{e.SiloName}/{d}"))
            .ToArray();
        return Task.FromResult(devices);
    }
}
