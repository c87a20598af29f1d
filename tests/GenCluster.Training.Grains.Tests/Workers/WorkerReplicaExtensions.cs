using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Workers;

namespace GenCluster.Training.Grains.Tests.Workers;

internal static class WorkerReplicaExtensions
{
    /// <summary>A new array holding <paramref name="role"/>'s gradients in [offset, offset+length).</summary>
    public static float[] CopyGradients(this WorkerReplica replica, ModelRole role, long offset, int length)
    {
        var gradients = new float[length];
        replica.CopyGradients(role, offset, gradients);
        return gradients;
    }
}
