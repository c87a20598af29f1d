using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>Which part of a dataset to train on.</summary>
[GenerateSerializer]
public enum DatasetSplit
{
    /// <summary>The training split (<c>train</c>).</summary>
    Train = 0,

    /// <summary>The held-out test split (<c>test</c>).</summary>
    Test = 1,
}
