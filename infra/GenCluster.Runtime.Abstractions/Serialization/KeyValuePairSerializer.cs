using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A key/value pair as the array <c>[key, value]</c>.</summary>
internal sealed class KeyValuePairSerializer<TKey, TValue> : IMessagePackSerializer<KeyValuePair<TKey, TValue>>
{
    public void Serialize(ref MessagePackWriter writer, KeyValuePair<TKey, TValue> value)
    {
        writer.WriteArrayHeader(2);
        Serializer<TKey>.Instance.Serialize(ref writer, value.Key);
        Serializer<TValue>.Instance.Serialize(ref writer, value.Value);
    }

    public KeyValuePair<TKey, TValue> Deserialize(ref MessagePackReader reader)
    {
        ReaderChecks.ReadArrayHeader(ref reader, 2, "a key/value pair");
        var key = Serializer<TKey>.Instance.Deserialize(ref reader);
        var value = Serializer<TValue>.Instance.Deserialize(ref reader);
        return new KeyValuePair<TKey, TValue>(key, value);
    }
}
