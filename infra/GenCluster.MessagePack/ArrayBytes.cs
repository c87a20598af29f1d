using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// The bytes of an array of unmanaged elements as a <see cref="ReadOnlyMemory{T}"/> of bytes, without a copy — what a
/// serializer hands to <see cref="MessagePackWriter.WriteRawByReference"/> for a tensor's data.
/// </summary>
/// <remarks>
/// Within one process a tensor can also be <em>handed over</em>: <see cref="HandOverCopy"/> copies such bytes once into
/// an array of their own, and the reader that decodes them takes that array (<see cref="TryTake{T}"/>) instead of
/// copying the bytes a second time. The copy is made when the value is handed over (an in-silo call's arguments, a
/// call's result), so what the sender does with its array afterwards cannot reach the receiver.
/// </remarks>
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
        return typeof(T) == typeof(byte) ? (byte[])(object)array : new ArrayByteManager<T>(array, handedOver: false).Memory;
    }

    /// <summary>
    /// The bytes of <paramref name="elements"/>, <em>lent</em> for the duration of one call: a tensor view argument
    /// (<c>TensorView&lt;T&gt;</c>) whose caller leaves the memory unchanged until the call completes. Besides being
    /// sent by reference like <see cref="Of{T}"/>, lent bytes may be read in place by a callee in the same process
    /// (see <see cref="IsLent"/> and <see cref="SegmentedMemory.HandOverCopy(ReadOnlyMemory{byte}, bool)"/>).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="elements">Any memory of elements (an array, a slice of one, native memory); referenced, not copied.</param>
    /// <returns>Memory over the elements' bytes.</returns>
    public static ReadOnlyMemory<byte> Lend<T>(ReadOnlyMemory<T> elements)
        where T : unmanaged => new LentBytes<T>(elements).Memory;

    /// <summary>Whether <paramref name="bytes"/> are exactly bytes lent by <see cref="Lend{T}"/>.</summary>
    /// <param name="bytes">Any bytes.</param>
    /// <returns>True for lent bytes, which a callee in this process may read in place for the duration of the call.</returns>
    public static bool IsLent(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetMemoryManager<byte, ArrayByteMemory>(bytes, out var manager, out int start, out int length)
            && manager.IsLent && start == 0 && length == manager.ByteLength;

    /// <summary>
    /// A copy of <paramref name="bytes"/> that no one else references: when they are all of an array's bytes
    /// (<see cref="Of{T}"/>), a new array of the same element type that one reader may take over
    /// (<see cref="TryTake{T}"/>); otherwise a plain byte copy.
    /// </summary>
    /// <param name="bytes">Any bytes.</param>
    /// <returns>The copy.</returns>
    public static ReadOnlyMemory<byte> HandOverCopy(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetMemoryManager<byte, ArrayByteMemory>(bytes, out var array, out int start, out int length)
            && start == 0 && length == array.ByteLength
            ? array.CopyForHandOver()
            : bytes.ToArray();

    /// <summary>
    /// Takes over the array behind <paramref name="data"/> when the data is exactly the bytes of a
    /// <see cref="HandOverCopy"/> of a <typeparamref name="T"/> array that nobody took before; the caller then owns it.
    /// </summary>
    /// <typeparam name="T">The expected element type.</typeparam>
    /// <param name="data">Decoded tensor data, a slice of some input.</param>
    /// <param name="array">The array, when taken.</param>
    /// <returns>True when the array was taken (at most once per hand-over copy).</returns>
    public static bool TryTake<T>(in ReadOnlySequence<byte> data, [NotNullWhen(true)] out T[]? array)
        where T : unmanaged
    {
        array = null;
        var first = data.First;
        return first.Length == data.Length
            && MemoryMarshal.TryGetMemoryManager<byte, ArrayByteManager<T>>(first, out var manager, out int start, out int length)
            && start == 0 && length == manager.ByteLength
            && manager.TryTake(out array);
    }

    // The element type erased, so a hand-over copy can be made of bytes whose element type the caller does not know.
    private abstract class ArrayByteMemory : MemoryManager<byte>
    {
        public abstract int ByteLength { get; }

        public virtual bool IsLent => false;

        public abstract ReadOnlyMemory<byte> CopyForHandOver();
    }

    // Bytes of a caller's elements for the duration of one call; never taken over, always copied when handed over.
    private sealed class LentBytes<T>(ReadOnlyMemory<T> elements) : ArrayByteMemory
        where T : unmanaged
    {
        public override int ByteLength => checked(elements.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());

        public override bool IsLent => true;

        public override ReadOnlyMemory<byte> CopyForHandOver()
        {
            var copy = GC.AllocateUninitializedArray<T>(elements.Length);
            elements.Span.CopyTo(copy);
            return new ArrayByteManager<T>(copy, handedOver: true).Memory;
        }

        // Read-only use only: nothing in the runtime writes through the span of memory it sends or reads.
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(MemoryMarshal.AsMemory(elements).Span);

        private readonly Lock _lock = new();
        private MemoryHandle _pin;
        private int _pins;

        // The elements' own memory is pinned once for all concurrent pins (a socket send pins what it sends).
        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, ByteLength);
            lock (_lock)
            {
                if (_pins++ == 0)
                {
                    _pin = MemoryMarshal.AsMemory(elements).Pin();
                }

                return new MemoryHandle((byte*)_pin.Pointer + elementIndex, pinnable: this);
            }
        }

        public override void Unpin()
        {
            lock (_lock)
            {
                if (_pins > 0 && --_pins == 0)
                {
                    _pin.Dispose();
                    _pin = default;
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class ArrayByteManager<T>(T[] array, bool handedOver) : ArrayByteMemory
        where T : unmanaged
    {
        // 1 once a reader has taken the array (or when it may never be taken: the sender's own array).
        private int _taken = handedOver ? 0 : 1;

        public override int ByteLength => array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        public override ReadOnlyMemory<byte> CopyForHandOver()
        {
            // Every element is overwritten by the copy, so the new array need not be zeroed first.
            var copy = GC.AllocateUninitializedArray<T>(array.Length);
            array.AsSpan().CopyTo(copy);
            return new ArrayByteManager<T>(copy, handedOver: true).Memory;
        }

        public bool TryTake([NotNullWhen(true)] out T[]? taken)
        {
            taken = Interlocked.Exchange(ref _taken, 1) == 0 ? array : null;
            return taken is not null;
        }

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
