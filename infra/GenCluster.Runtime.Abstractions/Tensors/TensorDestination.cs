using System.Buffers;
using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime;

/// <summary>
/// Where a call's <see cref="TensorView{T}"/> result should land: a grain method parameter of this type never travels;
/// the caller's proxy decodes the result straight from the reply into this memory (one copy, no array in between, and
/// for a callee in the same silo no copy of its own either) and returns a view of it.
/// </summary>
/// <remarks>
/// A method with a destination parameter must return <c>Task&lt;TensorView&lt;T&gt;&gt;</c> or
/// <c>ValueTask&lt;TensorView&lt;T&gt;&gt;</c> of the same <typeparamref name="T"/> (the generator checks it, GC0015).
/// The grain implementing it receives the default destination and returns its result as usual. The result's element
/// count must equal the destination's length, else the call fails with a <see cref="MessagePackDecodeException"/>
/// (<see cref="MessagePackDecodeError.InvalidTensor"/>) and the destination's content is unspecified. With the
/// default destination the call behaves as without one (the result is a view over the reply, see
/// <see cref="TensorView{T}"/>).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct TensorDestination<T>
    where T : unmanaged
{
    private readonly bool _set;

    /// <summary>A destination over <paramref name="memory"/>.</summary>
    /// <param name="memory">Exactly as many elements as the result will have.</param>
    public TensorDestination(Memory<T> memory)
    {
        Memory = memory;
        _set = true;
    }

    /// <summary>The caller's memory.</summary>
    public Memory<T> Memory { get; }

    /// <summary>Whether no destination was given (always so on the grain's side).</summary>
    public bool IsDefault => !_set;

    /// <summary>A destination over <paramref name="memory"/>.</summary>
    /// <param name="memory">Exactly as many elements as the result will have.</param>
    public static implicit operator TensorDestination<T>(Memory<T> memory) => new(memory);

    /// <summary>A destination over all of <paramref name="array"/>.</summary>
    /// <param name="array">Exactly as many elements as the result will have.</param>
    public static implicit operator TensorDestination<T>(T[] array) => new(array);
}

/// <summary>Decoding a tensor result into a <see cref="TensorDestination{T}"/>.</summary>
public static class TensorDestination
{
    /// <summary>
    /// Reads one serialized <see cref="TensorView{T}"/> (a call's result body) and copies its elements into
    /// <paramref name="destination"/>, without an array in between. Used by call invokers.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="body">The serialized value (any memory, including blocks kept by reference).</param>
    /// <param name="destination">Exactly as many elements as the tensor has.</param>
    /// <returns>A view of <paramref name="destination"/> with the tensor's shape; the default view for a nil.</returns>
    /// <exception cref="MessagePackDecodeException">Not a tensor of <typeparamref name="T"/>, or of another element count than the destination's.</exception>
    public static TensorView<T> ReadInto<T>(ReadOnlyMemory<byte> body, Memory<T> destination)
        where T : unmanaged
    {
        var reader = new MessagePackReader(SegmentedMemory.AsSequence(body));
        if (reader.TryReadNil())
        {
            return default;
        }

        string dtype = TensorViewTypes.DTypeOf<T>();
        var tensor = reader.ReadTensor();
        if (!string.Equals(tensor.DType, dtype, StringComparison.Ordinal))
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"expected a {dtype} tensor for TensorView<{typeof(T).Name}>, found {tensor.DType}", 0);
        }

        if (tensor.ElementCount != destination.Length)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"the result has {tensor.ElementCount} elements, its destination {destination.Length}", 0);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("tensor views need a little-endian machine");
        }

        tensor.Data.CopyTo(MemoryMarshal.AsBytes(destination.Span));
        return TensorView.Of<T>(destination, tensor.Shape);
    }
}
