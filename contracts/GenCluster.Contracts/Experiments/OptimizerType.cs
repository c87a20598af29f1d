using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>The optimizer algorithm, named as in <c>torch.optim</c>.</summary>
[GenerateSerializer]
public enum OptimizerType
{
    /// <summary><c>torch.optim.Adam</c> (<c>adam</c>).</summary>
    Adam = 0,

    /// <summary><c>torch.optim.SGD</c> (<c>sgd</c>).</summary>
    Sgd = 1,
}
