using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A dictionary as a MessagePack map, whether declared as <see cref="Dictionary{TKey, TValue}"/> or by interface
/// (<c>IDictionary</c>, <c>IReadOnlyDictionary</c>); it reads back as a <see cref="Dictionary{TKey, TValue}"/> with the
/// default comparer. Null travels as nil; a nil key or a repeated key in the input is a decode error.
/// </summary>
internal sealed class DictionarySerializer<TDictionary, TKey, TValue> : IMessagePackSerializer<TDictionary>
    where TDictionary : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    public void Serialize(ref MessagePackWriter writer, TDictionary value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        int count = value switch
        {
            ICollection<KeyValuePair<TKey, TValue>> collection => collection.Count,
            IReadOnlyCollection<KeyValuePair<TKey, TValue>> readOnly => readOnly.Count,
            _ => value.Count(),
        };
        var keys = Serializer<TKey>.Instance;
        var values = Serializer<TValue>.Instance;
        writer.WriteMapHeader(count);
        int written = 0;
        foreach (var entry in value)
        {
            if (written == count)
            {
                throw new InvalidOperationException($"the {typeof(TDictionary).Name} grew while it was being serialized");
            }

            keys.Serialize(ref writer, entry.Key);
            values.Serialize(ref writer, entry.Value);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException($"the {typeof(TDictionary).Name} announced {count} entries but yielded {written}");
        }
    }

    public TDictionary Deserialize(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null!;
        }

        int count = reader.ReadMapHeader();
        var keys = Serializer<TKey>.Instance;
        var values = Serializer<TValue>.Instance;
        var result = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            long position = reader.Consumed;
            var key = keys.Deserialize(ref reader);
            if (key is null)
            {
                throw ReaderChecks.Invalid(position, "a dictionary key is nil");
            }

            if (!result.TryAdd(key, values.Deserialize(ref reader)))
            {
                throw ReaderChecks.Invalid(position, $"dictionary key '{key}' occurs twice");
            }
        }

        return (TDictionary)(object)result;
    }
}
