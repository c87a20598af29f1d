using System.Runtime.CompilerServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// <c>float[]</c>, <c>double[]</c> and <c>long[]</c> travel as one-dimensional tensors (DESIGN §5):
/// <c>{"nd": true, "type": "&lt;f4", "shape": [n], "data": bin}</c> with raw little-endian bytes — 4 bytes a float
/// instead of 5, copied in bulk, and decoded by NumPy without a loop. Reading also accepts a plain array of numbers
/// (what a peer without the tensor convention sends). Null travels as nil.
/// </summary>
internal abstract class TensorArraySerializer<T> : IMessagePackSerializer<T[]>
    where T : unmanaged
{
    protected abstract string DType { get; }

    public void Serialize(ref MessagePackWriter writer, T[] value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        // A heap array: the writer is a ref parameter, so the compiler will not let a stack span reach the codec.
        var shape = new long[] { value.Length };
        if (BitConverter.IsLittleEndian && (long)value.Length * Unsafe.SizeOf<T>() >= MessagePackWriter.MinimumReferenceSize)
        {
            // A large array is referenced, not copied, where the output keeps references (a call's arguments): it is
            // sent from the array itself. The caller must leave it unchanged until the call completes.
            writer.WriteTensorByReference(ArrayBytes.Of(value), DType, shape);
            return;
        }

        WriteTensor(ref writer, value, shape);
    }

    public T[] Deserialize(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null!;
        }

        if (reader.PeekType() == MessagePackType.Array)
        {
            return ReadElements(ref reader);
        }

        long position = reader.Consumed;
        var tensor = reader.ReadTensor();
        if (!string.Equals(tensor.DType, DType, StringComparison.Ordinal))
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"expected a {DType} tensor for {typeof(T).Name}[], found {tensor.DType}", position);
        }

        if (tensor.Rank != 1)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTensor, $"expected a one-dimensional tensor for {typeof(T).Name}[], found rank {tensor.Rank}", position);
        }

        // An array handed over within this process (an in-silo call's argument, a local reply) is taken, not copied.
        if (ArrayBytes.TryTake<T>(tensor.Data, out var handedOver) && handedOver.Length == tensor.ElementCount)
        {
            return handedOver;
        }

        // Every element is overwritten, so a large tensor skips zeroing megabytes first.
        var result = GC.AllocateUninitializedArray<T>(checked((int)tensor.ElementCount));
        CopyTo(tensor, result);
        return result;
    }

    protected abstract void WriteTensor(ref MessagePackWriter writer, ReadOnlySpan<T> data, ReadOnlySpan<long> shape);

    protected abstract void CopyTo(in TensorPayload tensor, Span<T> destination);

    private static T[] ReadElements(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var items = Serializer<T>.Instance;
        var result = new T[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = items.Deserialize(ref reader);
        }

        return result;
    }
}

internal sealed class SingleArraySerializer : TensorArraySerializer<float>
{
    protected override string DType => TensorDType.Float32;

    protected override void WriteTensor(ref MessagePackWriter writer, ReadOnlySpan<float> data, ReadOnlySpan<long> shape) => writer.WriteTensor(data, shape);

    protected override void CopyTo(in TensorPayload tensor, Span<float> destination) => tensor.CopyTo(destination);
}

internal sealed class DoubleArraySerializer : TensorArraySerializer<double>
{
    protected override string DType => TensorDType.Float64;

    protected override void WriteTensor(ref MessagePackWriter writer, ReadOnlySpan<double> data, ReadOnlySpan<long> shape) => writer.WriteTensor(data, shape);

    protected override void CopyTo(in TensorPayload tensor, Span<double> destination) => tensor.CopyTo(destination);
}

internal sealed class Int64ArraySerializer : TensorArraySerializer<long>
{
    protected override string DType => TensorDType.Int64;

    protected override void WriteTensor(ref MessagePackWriter writer, ReadOnlySpan<long> data, ReadOnlySpan<long> shape) => writer.WriteTensor(data, shape);

    protected override void CopyTo(in TensorPayload tensor, Span<long> destination) => tensor.CopyTo(destination);
}
