using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// The bytes of an array of unmanaged elements as a <see cref="ReadOnlyMemory{T}"/> of bytes, without a copy — what a
/// serializer hands to <see cref="MessagePackWriter.WriteRawByReference"/> for a tensor's data.
/// </summary>
public static class ArrayBytes
{
    /// <summary>The elements' bytes in memory order (little-endian on every platform .NET runs tensors on).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="array">The array; it is referenced, not copied.</param>
    /// <returns>Memory over the array's bytes.</returns>
    public static ReadOnlyMemory<byte> Of<T>(T[] array)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        return typeof(T) == typeof(byte) ? (byte[])(object)array : new ArrayByteManager<T>(array).Memory;
    }

    private sealed class ArrayByteManager<T>(T[] array) : MemoryManager<byte>
        where T : unmanaged
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan());

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle);
        }

        public override void Unpin()
        {
            // The GCHandle travels in the MemoryHandle, which frees it.
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
