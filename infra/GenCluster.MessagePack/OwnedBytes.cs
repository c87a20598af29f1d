using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// A byte array handed over with its ownership: a receiver that finds memory of this kind (for example a frame payload
/// the transport assembled into its own array) may keep slices of it instead of copying them, because nobody else
/// reuses the array.
/// </summary>
public sealed class OwnedBytes : MemoryManager<byte>
{
    private readonly byte[] _array;

    /// <summary>Wraps <paramref name="array"/>, which its creator must not reuse.</summary>
    /// <param name="array">The bytes.</param>
    public OwnedBytes(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        _array = array;
    }

    /// <summary>Whether <paramref name="bytes"/> is a single block of owned memory, which may then be kept without a copy.</summary>
    /// <param name="bytes">Decoded bytes, a slice of some input.</param>
    /// <param name="memory">The same bytes as memory, when owned.</param>
    /// <returns>True when the bytes may be kept as they are.</returns>
    public static bool TryGetOwned(in ReadOnlySequence<byte> bytes, out ReadOnlyMemory<byte> memory)
    {
        memory = default;
        if (!bytes.IsSingleSegment || !MemoryMarshal.TryGetMemoryManager<byte, OwnedBytes>(bytes.First, out _))
        {
            return false;
        }

        memory = bytes.First;
        return true;
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => _array;

    /// <inheritdoc />
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <inheritdoc />
    protected override bool TryGetArray(out ArraySegment<byte> segment)
    {
        segment = _array;
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
    }
}
