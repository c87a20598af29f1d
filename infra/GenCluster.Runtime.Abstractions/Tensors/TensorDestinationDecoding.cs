using System.Buffers;
using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime;

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
