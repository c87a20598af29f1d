using System.Collections.Concurrent;
using GenCluster.Contracts.Training;
using GenCluster.Training.Grains.Sharding;

namespace GenCluster.Training.Grains.Workers;

/// <summary>
/// The arrays a worker sends its gradient buckets in, one per bucket, reused from step to step: a fresh array of
/// megabytes costs a page fault and the kernel's zeroing of every 4 KiB on first touch, every step.
/// </summary>
/// <remarks>
/// An array comes back only once its push was answered. The answer proves the shard has read every byte: a shard in the
/// same silo reads the array in place while the call runs, and a remote one answers only after the whole frame arrived.
/// After a failed push a send may still be reading the array, so it is left to the GC and the next step takes a new one.
/// </remarks>
internal sealed class GradientPayloads
{
    private readonly ConcurrentDictionary<(ModelRole Role, int Shard, int Bucket), float[]> _spare = new();

    /// <summary>An array of <paramref name="bucket"/>'s length (of undefined content) for <paramref name="role"/>'s bucket.</summary>
    public float[] Rent(ModelRole role, BucketSlice bucket) =>
        _spare.TryRemove((role, bucket.Shard, bucket.Bucket), out var array) && array.Length == bucket.Length
            ? array
            : GC.AllocateUninitializedArray<float>(bucket.Length);

    /// <summary>Keeps <paramref name="array"/> for the bucket's next step; call it only after the push was answered.</summary>
    public void Return(ModelRole role, BucketSlice bucket, float[] array) => _spare[(role, bucket.Shard, bucket.Bucket)] = array;
}
