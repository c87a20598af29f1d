using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A <see cref="List{T}"/> as a MessagePack array; null travels as nil.</summary>
internal sealed class ListSerializer<T> : IMessagePackSerializer<List<T>>
{
    public void Serialize(ref MessagePackWriter writer, List<T> value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var items = Serializer<T>.Instance;
        var span = CollectionsMarshal.AsSpan(value);
        writer.WriteArrayHeader(span.Length);
        foreach (var item in span)
        {
            items.Serialize(ref writer, item);
        }
    }

    public List<T> Deserialize(ref MessagePackReader reader) => reader.TryReadNil() ? null! : ReadList(ref reader);

    /// <summary>Reads a MessagePack array into a new list.</summary>
    internal static List<T> ReadList(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var items = Serializer<T>.Instance;
        var result = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            result.Add(items.Deserialize(ref reader));
        }

        return result;
    }
}
