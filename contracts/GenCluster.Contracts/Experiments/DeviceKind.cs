using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>The kind of compute device, named as in PyTorch device strings.</summary>
[GenerateSerializer]
public enum DeviceKind
{
    /// <summary>A CPU compute thread (<c>cpu:N</c>); a silo may offer several.</summary>
    Cpu = 0,

    /// <summary>A CUDA GPU (<c>cuda:N</c>).</summary>
    Cuda = 1,
}
