using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime;

/// <summary>
/// A read-only tensor of <typeparamref name="T"/> (<c>float</c>, <c>double</c>, <c>long</c> or <c>int</c>) that refers
/// to memory instead of owning an array: on the wire it is the tensor map
/// <c>{"nd": true, "type": "&lt;f4", "shape": [..], "data": bin}</c>, byte for byte what a <c>float[]</c> (rank 1) or
/// a NumPy array sends, and a grain method that takes one reads the elements <em>where they were received</em>, in the
/// received frame, without copying them into an array first.
/// </summary>
/// <remarks>
/// <para>Lifetimes — where the memory comes from decides how long a view may be read:</para>
/// <list type="bullet">
/// <item><description><b>Made by you</b> (<see cref="TensorView.Of{T}(T[])"/>, the conversion from an array): valid as
/// long as your memory is. Passed as an argument, it is sent from your memory without a copy, so leave the memory
/// unchanged until the call completes (the same rule as for array arguments, see <see cref="IGrain"/>). A callee in the
/// same silo reads your memory in place for the duration of the call (a one-way call gets a copy instead).</description></item>
/// <item><description><b>Received by a grain method</b> (as an argument, or inside one): valid <em>until the method's
/// task completes</em>. Afterwards the runtime gives the received frame back to its pool, so the bytes will be
/// overwritten by a later message; every access after that point (<see cref="Span"/>, <see cref="CopyTo"/>,
/// <see cref="ToArray"/>) throws <see cref="ObjectDisposedException"/> instead of returning another message's
/// data. Keep what you need with <see cref="ToArray"/> before the method completes. A streaming method
/// (<c>IAsyncEnumerable</c>) cannot read its view arguments while it yields: they end when it returns the stream.
/// Returning a received view (or sending it on) copies its elements.</description></item>
/// <item><description><b>Received as a call's result</b>: it belongs to the caller and stays valid until
/// <see cref="Dispose"/>; when it lies in a pooled receive frame, disposing gives the frame back early (one that is never
/// disposed is simply collected). Copy it where it belongs (<see cref="CopyTo"/>) and dispose it.</description></item>
/// </list>
/// <para>Received views are validated before the method runs: the dtype must be <typeparamref name="T"/>'s and the data
/// length must equal the shape's element count, within the frame; otherwise the call fails with a
/// <see cref="MessagePackDecodeException"/> (<see cref="MessagePackDecodeError.InvalidTensor"/>). A nil on the wire is the
/// default view (<see cref="IsDefault"/>).</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[StructLayout(LayoutKind.Auto)]
public readonly struct TensorView<T> : IDisposable
    where T : unmanaged
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long[]? _shape;
    private readonly TensorViewLease? _lease;

    internal TensorView(ReadOnlyMemory<byte> bytes, long[] shape, TensorViewLease? lease)
    {
        _bytes = bytes;
        _shape = shape;
        _lease = lease;
    }

    /// <summary>Whether this is the default value (nothing, sent as nil).</summary>
    public bool IsDefault => _shape is null;

    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length => _bytes.Length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>The dimensions (one for a view made from an array; empty for the default view).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>
    /// Whether the elements may still be read: false once a received argument's invocation has completed or a received
    /// result has been disposed.
    /// </summary>
    public bool IsValid => _lease is null || !_lease.IsEnded;

    /// <summary>The elements, in place (the start may be unaligned, which .NET's span reads allow).</summary>
    /// <exception cref="ObjectDisposedException">The view's memory has been given back (see the type's remarks).</exception>
    public ReadOnlySpan<T> Span
    {
        get
        {
            _lease?.ThrowIfEnded();
            return MemoryMarshal.Cast<byte, T>(_bytes.Span);
        }
    }

    /// <summary>The raw little-endian element bytes, in place, what the wire carries.</summary>
    /// <exception cref="ObjectDisposedException">The view's memory has been given back.</exception>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            _lease?.ThrowIfEnded();
            return _bytes.Span;
        }
    }

    // What the serializer sends by reference: only memory whose owner outlives the send (not a received frame).
    internal ReadOnlyMemory<byte> LentBytes => _lease is null ? _bytes : throw new InvalidOperationException("a received view is not lent");

    internal bool IsReceived => _lease is not null;

    /// <summary>An array-backed view of <paramref name="array"/> (no copy).</summary>
    /// <param name="array">The elements; null gives the default view.</param>
    public static implicit operator TensorView<T>(T[]? array) => array is null ? default : TensorView.Of(array);

    /// <summary>Copies the elements into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ObjectDisposedException">The view's memory has been given back.</exception>
    public void CopyTo(Span<T> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} elements, the view has {Length}", nameof(destination));
        }

        Span.CopyTo(destination);
    }

    /// <summary>A new array with the elements: what to keep beyond the view's lifetime.</summary>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ObjectDisposedException">The view's memory has been given back.</exception>
    public T[] ToArray() => Span.ToArray();

    /// <summary>
    /// Gives a received result's frame back to its pool now; afterwards the view is invalid. Does nothing for views
    /// you made and for grain method arguments (the runtime ends those when the method completes).
    /// </summary>
    public void Dispose()
    {
        if (_lease is { OwnedByHolder: true } lease)
        {
            lease.End();
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsDefault ? "TensorView<" + typeof(T).Name + ">(default)" : $"TensorView<{typeof(T).Name}>[{string.Join(", ", _shape!)}]";
}
