using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack;

/// <summary>
/// Bytes handed over with their ownership: a receiver that finds memory of this kind (for example a frame payload the
/// transport assembled into its own array, or one a peer on the same host wrote into shared memory) may keep slices of
/// it instead of copying them, because nobody else reuses the bytes — until the last user releases them
/// (<see cref="Release"/>), when their creator may reuse them.
/// </summary>
/// <remarks>
/// Bytes outside the managed heap (shared memory) that nobody releases stay unusable for their creator; there is no
/// finalizer to release them, because a span over them does not keep this object alive.
/// </remarks>
public sealed unsafe class OwnedBytes : MemoryManager<byte>
{
    private readonly byte[]? _array;
    private readonly byte* _pointer;
    private readonly int _length;
    private Action? _release;

    /// <summary>Wraps <paramref name="array"/>, which its creator must not reuse.</summary>
    /// <param name="array">The bytes.</param>
    public OwnedBytes(byte[] array)
        : this(array, array?.Length ?? 0, release: null)
    {
    }

    /// <summary>
    /// Wraps the first <paramref name="length"/> bytes of <paramref name="array"/>; <paramref name="release"/> gets the
    /// array back when the bytes are released (<see cref="Release"/>), at most once.
    /// </summary>
    /// <param name="array">The bytes.</param>
    /// <param name="length">How many of them are in use.</param>
    /// <param name="release">Takes the array back for reuse; null: the array is never reused.</param>
    public OwnedBytes(byte[] array, int length, Action<byte[]>? release)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, array.Length);
        _array = array;
        _length = length;
        _release = release is null ? null : () => release(array);
    }

    /// <summary>
    /// Wraps <paramref name="length"/> bytes of memory outside the managed heap that stays valid until
    /// <paramref name="release"/> runs; it runs once, when the bytes are released (<see cref="Release"/>).
    /// </summary>
    /// <param name="pointer">The first byte.</param>
    /// <param name="length">How many bytes.</param>
    /// <param name="release">Gives the bytes back to their creator.</param>
    public OwnedBytes(byte* pointer, int length, Action release)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (pointer is null)
        {
            throw new ArgumentNullException(nameof(pointer));
        }

        _pointer = pointer;
        _length = length;
        _release = release;
    }

    /// <inheritdoc />
    /// <remarks>Overridden so that the memory is the bytes in use, not the whole array.</remarks>
    public override Memory<byte> Memory => CreateMemory(_length);

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

    /// <summary>
    /// Gives the owned array behind <paramref name="memory"/> back to its creator for reuse (once; later calls and memory
    /// of another kind do nothing). Call it only where nothing reads <paramref name="memory"/>, or anything decoded from it
    /// without a copy, afterwards — for example right after a message's body was deserialized (deserializers copy).
    /// </summary>
    /// <param name="memory">Any memory, typically a received message's body.</param>
    public static void Release(ReadOnlyMemory<byte> memory)
    {
        if (MemoryMarshal.TryGetMemoryManager<byte, OwnedBytes>(memory, out var owned))
        {
            Interlocked.Exchange(ref owned._release, null)?.Invoke();
        }
    }

    /// <summary>
    /// Takes over the duty to release the owned array behind <paramref name="memory"/>: afterwards
    /// <see cref="Release"/> does nothing, and the array goes back to its creator only when <paramref name="release"/>
    /// is invoked (at most once; never invoking it leaves an array to the garbage collector, and unmanaged bytes unusable
    /// for their creator). A reader that keeps
    /// a slice of a received frame beyond the point where the frame would be released uses this.
    /// </summary>
    /// <param name="memory">Any memory.</param>
    /// <param name="release">Gives the array back; null when there was nothing to take over.</param>
    /// <returns>True when <paramref name="memory"/> is owned memory whose release had not happened or been taken yet.</returns>
    public static bool TryTakeRelease(ReadOnlyMemory<byte> memory, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Action? release)
    {
        release = null;
        if (!MemoryMarshal.TryGetMemoryManager<byte, OwnedBytes>(memory, out var owned)
            || Interlocked.Exchange(ref owned._release, null) is not { } giveBack)
        {
            return false;
        }

        int once = 0;
        release = () =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
            {
                giveBack();
            }
        };
        return true;
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => _array is null ? new Span<byte>(_pointer, _length) : _array.AsSpan(0, _length);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if (_array is null)
        {
            // Unmanaged bytes do not move.
            return new MemoryHandle(_pointer + elementIndex);
        }

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
        if (_array is null)
        {
            segment = default;
            return false;
        }

        segment = new ArraySegment<byte>(_array, 0, _length);
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
    }
}
