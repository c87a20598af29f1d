using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>A setting that a GAN has once per network, e.g. the optimizer or the number of parameter shards.</summary>
/// <typeparam name="T">The setting's type.</typeparam>
/// <param name="Generator">The generator's value.</param>
/// <param name="Discriminator">The discriminator's value.</param>
[GenerateSerializer]
public sealed record GanPair<T>([Id(0)] T Generator, [Id(1)] T Discriminator);
