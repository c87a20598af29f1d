using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A <see cref="HashSet{T}"/> as a MessagePack array (read back with the default comparer); null travels as nil.</summary>
internal sealed class HashSetSerializer<T> : IMessagePackSerializer<HashSet<T>>
{
    public void Serialize(ref MessagePackWriter writer, HashSet<T> value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var items = Serializer<T>.Instance;
        writer.WriteArrayHeader(value.Count);
        foreach (var item in value)
        {
            items.Serialize(ref writer, item);
        }
    }

    public HashSet<T> Deserialize(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null!;
        }

        int count = reader.ReadArrayHeader();
        var items = Serializer<T>.Instance;
        var result = new HashSet<T>(count);
        for (int i = 0; i < count; i++)
        {
            result.Add(items.Deserialize(ref reader));
        }

        return result;
    }
}
