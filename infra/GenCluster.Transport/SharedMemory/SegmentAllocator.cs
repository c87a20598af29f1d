using System.Runtime.Versioning;

namespace GenCluster.Transport;

/// <summary>
/// The sender's bookkeeping of its <see cref="SharedMemorySegment"/>: which blocks hold frames the receiver has not
/// released yet, and which ranges are free. The receiver releases a block by setting its state in the block header
/// (<see cref="Release"/>); the sender takes released blocks back lazily, at its next allocation. Used under the
/// connection's send lock only.
/// </summary>
/// <remarks>
/// First fit over a coalesced free list, not a ring: the receiver releases frames in any order (a shard holds one rank's
/// bucket until every rank's has arrived), and a frame it keeps for long only withholds its own block.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class SegmentAllocator
{
    /// <summary>Bytes of a block's header before its payload (a cache line, which keeps payloads aligned).</summary>
    public const int BlockHeaderSize = SharedMemorySegment.HeaderSize;

    private const int InUse = 1;
    private const int Released = 2;

    private readonly SharedMemorySegment _segment;
    private readonly List<(long Offset, long Length)> _free = [];
    private readonly List<(long Offset, long Length)> _inUse = [];

    public SegmentAllocator(SharedMemorySegment segment)
    {
        _segment = segment;
        _free.Add((SharedMemorySegment.HeaderSize, AlignDown(segment.Size) - SharedMemorySegment.HeaderSize));
    }

    /// <summary>Bytes of blocks the receiver has not released (as of the last allocation).</summary>
    public long BytesInUse => _inUse.Sum(b => b.Length);

    /// <summary>Marks the block at <paramref name="blockOffset"/> released (the receiver's side); safe from any thread.</summary>
    /// <param name="segment">The receiver's mapping of the sender's segment.</param>
    /// <param name="blockOffset">The block's offset, as the frame's descriptor gave it.</param>
    public static void Release(SharedMemorySegment segment, long blockOffset) =>
        Interlocked.Exchange(ref *(int*)(segment.Base + blockOffset), Released);

    /// <summary>Whether the block at <paramref name="blockOffset"/> holds a frame not yet released (the receiver's check).</summary>
    public static bool IsInUse(SharedMemorySegment segment, long blockOffset) =>
        Volatile.Read(ref *(int*)(segment.Base + blockOffset)) == InUse;

    /// <summary>Reserves a block whose payload has room for <paramref name="payloadLength"/> bytes.</summary>
    /// <param name="payloadLength">Bytes the payload may take.</param>
    /// <param name="blockOffset">The block's offset in the segment; its payload starts <see cref="BlockHeaderSize"/> later.</param>
    /// <returns>False when no free range is large enough, even after taking back every released block.</returns>
    public bool TryAllocate(long payloadLength, out long blockOffset)
    {
        long needed = AlignUp(BlockHeaderSize + payloadLength);
        if (!TryTakeFree(needed, out blockOffset))
        {
            Reclaim();
            if (!TryTakeFree(needed, out blockOffset))
            {
                return false;
            }
        }

        *(int*)(_segment.Base + blockOffset) = InUse;
        _inUse.Add((blockOffset, needed));
        return true;
    }

    /// <summary>Gives back the end of the block just allocated that its payload did not need.</summary>
    public void Shrink(long blockOffset, long payloadLength)
    {
        int index = _inUse.FindLastIndex(b => b.Offset == blockOffset);
        var block = _inUse[index];
        long kept = AlignUp(BlockHeaderSize + payloadLength);
        if (kept < block.Length)
        {
            _inUse[index] = (block.Offset, kept);
            AddFree(block.Offset + kept, block.Length - kept);
        }
    }

    /// <summary>Takes back a block that was never sent.</summary>
    public void Cancel(long blockOffset)
    {
        int index = _inUse.FindLastIndex(b => b.Offset == blockOffset);
        var block = _inUse[index];
        _inUse.RemoveAt(index);
        AddFree(block.Offset, block.Length);
    }

    private void Reclaim()
    {
        for (int i = _inUse.Count - 1; i >= 0; i--)
        {
            var block = _inUse[i];
            if (Volatile.Read(ref *(int*)(_segment.Base + block.Offset)) == Released)
            {
                _inUse.RemoveAt(i);
                AddFree(block.Offset, block.Length);
            }
        }
    }

    private bool TryTakeFree(long needed, out long offset)
    {
        for (int i = 0; i < _free.Count; i++)
        {
            var range = _free[i];
            if (range.Length >= needed)
            {
                offset = range.Offset;
                if (range.Length == needed)
                {
                    _free.RemoveAt(i);
                }
                else
                {
                    _free[i] = (range.Offset + needed, range.Length - needed);
                }

                return true;
            }
        }

        offset = 0;
        return false;
    }

    // Keeps the list sorted by offset with neighbours merged, so large frames find room after small ones are freed.
    private void AddFree(long offset, long length)
    {
        int index = 0;
        while (index < _free.Count && _free[index].Offset < offset)
        {
            index++;
        }

        _free.Insert(index, (offset, length));
        if (index + 1 < _free.Count && _free[index].Offset + _free[index].Length == _free[index + 1].Offset)
        {
            _free[index] = (_free[index].Offset, _free[index].Length + _free[index + 1].Length);
            _free.RemoveAt(index + 1);
        }

        if (index > 0 && _free[index - 1].Offset + _free[index - 1].Length == _free[index].Offset)
        {
            _free[index - 1] = (_free[index - 1].Offset, _free[index - 1].Length + _free[index].Length);
            _free.RemoveAt(index);
        }
    }

    private static long AlignUp(long value) => (value + BlockHeaderSize - 1) / BlockHeaderSize * BlockHeaderSize;

    private static long AlignDown(long value) => value / BlockHeaderSize * BlockHeaderSize;
}
