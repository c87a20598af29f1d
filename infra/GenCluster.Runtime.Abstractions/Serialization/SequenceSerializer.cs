using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A collection declared by interface (<c>IEnumerable&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>,
/// <c>IReadOnlyCollection&lt;T&gt;</c>, <c>ICollection&lt;T&gt;</c>) as a MessagePack array; it reads back as a
/// <see cref="List{T}"/>. Null travels as nil.
/// </summary>
internal sealed class SequenceSerializer<TSequence, T> : IMessagePackSerializer<TSequence>
    where TSequence : class, IEnumerable<T>
{
    public void Serialize(ref MessagePackWriter writer, TSequence value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        switch (value)
        {
            case T[] array:
                Serializer<T[]>.Instance.Serialize(ref writer, array);
                return;
            case List<T> list:
                Serializer<List<T>>.Instance.Serialize(ref writer, list);
                return;
        }

        // The header needs the count up front; a lazy sequence is materialized once to learn it.
        IEnumerable<T> items = value;
        int count;
        if (value is ICollection<T> collection)
        {
            count = collection.Count;
        }
        else if (value is IReadOnlyCollection<T> readOnly)
        {
            count = readOnly.Count;
        }
        else
        {
            var materialized = new List<T>(value);
            items = materialized;
            count = materialized.Count;
        }

        var serializer = Serializer<T>.Instance;
        writer.WriteArrayHeader(count);
        int written = 0;
        foreach (var item in items)
        {
            if (written == count)
            {
                throw new InvalidOperationException($"the {typeof(TSequence).Name} grew while it was being serialized");
            }

            serializer.Serialize(ref writer, item);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException($"the {typeof(TSequence).Name} announced {count} items but yielded {written}");
        }
    }

    public TSequence Deserialize(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null! : (TSequence)(object)ListSerializer<T>.ReadList(ref reader);
}
