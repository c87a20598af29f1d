using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A one-dimensional array as a MessagePack array; null travels as nil.</summary>
internal sealed class ArraySerializer<T> : IMessagePackSerializer<T[]>
{
    public void Serialize(ref MessagePackWriter writer, T[] value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var items = Serializer<T>.Instance;
        writer.WriteArrayHeader(value.Length);
        foreach (var item in value)
        {
            items.Serialize(ref writer, item);
        }
    }

    public T[] Deserialize(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null!;
        }

        // The reader has checked the count against the bytes present, so allocating it is bounded by the input.
        int count = reader.ReadArrayHeader();
        var items = Serializer<T>.Instance;
        var result = count == 0 ? [] : new T[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = items.Deserialize(ref reader);
        }

        return result;
    }
}
