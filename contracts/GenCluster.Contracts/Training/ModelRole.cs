using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>Which of the GAN's two models a parameter vector, shard or gradient bucket belongs to.</summary>
[GenerateSerializer]
public enum ModelRole
{
    /// <summary>The generator G.</summary>
    Generator = 0,

    /// <summary>The discriminator D.</summary>
    Discriminator = 1,
}
