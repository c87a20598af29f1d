using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>A worker built its models and loaded its data.</summary>
/// <param name="Rank">Its rank.</param>
/// <param name="SiloName">The silo it runs on.</param>
/// <param name="Device">The device it computes on.</param>
/// <param name="GeneratorParameters">Length of G's flat parameter vector.</param>
/// <param name="DiscriminatorParameters">Length of D's flat parameter vector.</param>
[GenerateSerializer]
public sealed record WorkerReady(
    [Id(0)] int Rank,
    [Id(1)] string SiloName,
    [Id(2)] string Device,
    [Id(3)] long GeneratorParameters,
    [Id(4)] long DiscriminatorParameters);
