using System.Buffers;

namespace GenCluster.Transport;

/// <summary>
/// The rest of a frame from its first block held by reference on (a tensor's array, then the encoded bytes after it):
/// sent straight from where the blocks lie, right after the bytes of the frame already in the send pipe.
/// </summary>
/// <param name="segments">The blocks, in order.</param>
/// <param name="pooled">Arrays among them rented from the shared pool, returned by <see cref="Release"/>.</param>
internal sealed class FrameTail(IReadOnlyList<ReadOnlyMemory<byte>> segments, byte[][] pooled)
{
    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Segments { get; } = segments;

    /// <summary>Returns the pooled arrays once the tail has been sent (or dropped).</summary>
    public void Release()
    {
        foreach (var array in pooled)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
