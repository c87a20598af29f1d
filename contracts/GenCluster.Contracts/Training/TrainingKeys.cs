using System.Globalization;

namespace GenCluster.Contracts.Training;

/// <summary>
/// How the grains of one experiment are keyed: the coordinator by the experiment id, a worker by
/// <c>silo/device/experiment/rank</c> (pinned placement reads the silo from the first segment), a parameter
/// shard by <c>experiment/G|D/index</c>.
/// </summary>
public static class TrainingKeys
{
    /// <summary>The key clients use for <see cref="IClusterDevicesGrain"/>.</summary>
    public const string ClusterDevices = "cluster";

    /// <summary>Longest experiment id.</summary>
    public const int MaxExperimentIdLength = 128;

    /// <summary>Whether <paramref name="experimentId"/> is 1–128 characters of letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidExperimentId(string? experimentId) =>
        !string.IsNullOrEmpty(experimentId)
        && experimentId.Length <= MaxExperimentIdLength
        && experimentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Throws unless <paramref name="experimentId"/> is valid.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ValidateExperimentId(string? experimentId)
    {
        if (!IsValidExperimentId(experimentId))
        {
            throw new ArgumentException(
                $"experiment id '{experimentId}' must be 1..{MaxExperimentIdLength} characters of letters, digits, '.', '_' or '-'",
                nameof(experimentId));
        }
    }

    /// <summary>The key of rank <paramref name="rank"/>'s worker on <paramref name="device"/>.</summary>
    public static string Worker(DeviceAddress device, string experimentId, int rank) =>
        string.Create(CultureInfo.InvariantCulture, $"{device.Silo}/{device.Device}/{experimentId}/{rank}");

    /// <summary>The key of shard <paramref name="index"/> of <paramref name="role"/>'s parameters.</summary>
    public static string Shard(string experimentId, ModelRole role, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{experimentId}/{(role == ModelRole.Generator ? "G" : "D")}/{index}");
}
