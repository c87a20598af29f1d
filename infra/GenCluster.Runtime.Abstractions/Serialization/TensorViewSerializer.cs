using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// <see cref="TensorView{T}"/> as the tensor map of DESIGN §5, the same bytes as an array of <typeparamref name="T"/>
/// (rank 1) or a NumPy array. Writing: a view of your memory of 64 KiB or more is sent by reference (lent bytes, which an
/// in-silo callee may read in place); a received view is copied, because its frame is given back after the call.
/// Reading: inside a <see cref="TensorViewScope"/> (a grain call's arguments) the view reads the received bytes in place;
/// outside one (a result) it takes over a pooled frame's release (valid until disposed), takes a handed-over array, or
/// copies (into a pooled array for 64 KiB or more, also valid until disposed).
/// </summary>
internal sealed class TensorViewSerializer<T> : IMessagePackSerializer<TensorView<T>>
    where T : unmanaged
{
    private static readonly string s_dtype = TensorViewTypes.DTypeOf<T>();

    public void Serialize(ref MessagePackWriter writer, TensorView<T> value)
    {
        if (value.IsDefault)
        {
            writer.WriteNil();
            return;
        }

        if (!value.IsReceived && BitConverter.IsLittleEndian && value.Length * (long)System.Runtime.CompilerServices.Unsafe.SizeOf<T>() >= MessagePackWriter.MinimumReferenceSize)
        {
            writer.WriteTensorByReference(value.LentBytes, s_dtype, value.Shape);
            return;
        }

        writer.WriteTensor(value.Bytes, s_dtype, value.Shape);
    }

    public TensorView<T> Deserialize(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return default;
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("tensor views need a little-endian machine");
        }

        long position = reader.Consumed;
        var tensor = reader.ReadTensor();
        if (!string.Equals(tensor.DType, s_dtype, StringComparison.Ordinal))
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"expected a {s_dtype} tensor for TensorView<{typeof(T).Name}>, found {tensor.DType}", position);
        }

        if (tensor.Data.Length > Array.MaxLength)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"a tensor of {tensor.Data.Length} bytes exceeds what one view can address", position);
        }

        var shape = tensor.Shape.ToArray();
        if (ArrayBytes.TryTake<T>(tensor.Data, out var handedOver) && handedOver.Length == tensor.ElementCount)
        {
            return TensorView.Owning(handedOver, shape);
        }

        if (tensor.Data.IsSingleSegment)
        {
            var bytes = tensor.Data.First;
            if (TensorViewScope.Current is { } argumentLease)
            {
                return new TensorView<T>(bytes, shape, argumentLease);
            }

            if (OwnedBytes.TryTakeRelease(bytes, out var release))
            {
                return new TensorView<T>(bytes, shape, new TensorViewLease(release, ownedByHolder: true));
            }
        }

        // Memory someone else may change or reuse (a reply sent by reference within the silo), or several segments: a
        // copy of its own. A large result goes into a pooled array that disposing the view gives back, because a
        // training step receives the same megabytes every step and fresh ones cost a page fault per 4 KiB. (An
        // argument's view is never disposed by its holder, so it keeps a plain array.)
        int byteCount = checked((int)tensor.Data.Length);
        if (byteCount >= MessagePackWriter.MinimumReferenceSize && TensorViewScope.Current is null)
        {
            var pooled = LargeBufferPool.Rent(byteCount);
            tensor.CopyRawTo(pooled.AsSpan(0, byteCount));
            return new TensorView<T>(pooled.AsMemory(0, byteCount), shape, new TensorViewLease(() => LargeBufferPool.Return(pooled), ownedByHolder: true));
        }

        var copy = GC.AllocateUninitializedArray<T>(checked((int)tensor.ElementCount));
        tensor.CopyRawTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(copy.AsSpan()));
        return TensorView.Owning(copy, shape);
    }
}
