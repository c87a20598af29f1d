using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>One shard's slice as written into a checkpoint: where it is and what its bytes hash to.</summary>
/// <param name="Role">Which model.</param>
/// <param name="Shard">The shard's index.</param>
/// <param name="Offset">First element of the slice in the model's flat vector.</param>
/// <param name="Length">Elements in the slice.</param>
/// <param name="Name">The object's name in the checkpoint store.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the object's bytes, computed by the shard that wrote them.</param>
/// <param name="Bytes">The object's length in bytes.</param>
[GenerateSerializer]
public sealed record CheckpointObject(
    [Id(0)] ModelRole Role,
    [Id(1)] int Shard,
    [Id(2)] long Offset,
    [Id(3)] int Length,
    [Id(4)] string Name,
    [Id(5)] string Sha256,
    [Id(6)] long Bytes);
