using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

// Tuples travel as arrays of their items in order: element names are compile-time only and never travel.

internal sealed class ValueTupleSerializer<T1, T2> : IMessagePackSerializer<ValueTuple<T1, T2>>
{
    public void Serialize(ref MessagePackWriter writer, ValueTuple<T1, T2> value)
    {
        writer.WriteArrayHeader(2);
        Serializer<T1>.Instance.Serialize(ref writer, value.Item1);
        Serializer<T2>.Instance.Serialize(ref writer, value.Item2);
    }

    public ValueTuple<T1, T2> Deserialize(ref MessagePackReader reader)
    {
        ReaderChecks.ReadArrayHeader(ref reader, 2, "a 2-tuple");
        var item1 = Serializer<T1>.Instance.Deserialize(ref reader);
        var item2 = Serializer<T2>.Instance.Deserialize(ref reader);
        return (item1, item2);
    }
}

internal sealed class ValueTupleSerializer<T1, T2, T3> : IMessagePackSerializer<ValueTuple<T1, T2, T3>>
{
    public void Serialize(ref MessagePackWriter writer, ValueTuple<T1, T2, T3> value)
    {
        writer.WriteArrayHeader(3);
        Serializer<T1>.Instance.Serialize(ref writer, value.Item1);
        Serializer<T2>.Instance.Serialize(ref writer, value.Item2);
        Serializer<T3>.Instance.Serialize(ref writer, value.Item3);
    }

    public ValueTuple<T1, T2, T3> Deserialize(ref MessagePackReader reader)
    {
        ReaderChecks.ReadArrayHeader(ref reader, 3, "a 3-tuple");
        var item1 = Serializer<T1>.Instance.Deserialize(ref reader);
        var item2 = Serializer<T2>.Instance.Deserialize(ref reader);
        var item3 = Serializer<T3>.Instance.Deserialize(ref reader);
        return (item1, item2, item3);
    }
}

internal sealed class ValueTupleSerializer<T1, T2, T3, T4> : IMessagePackSerializer<ValueTuple<T1, T2, T3, T4>>
{
    public void Serialize(ref MessagePackWriter writer, ValueTuple<T1, T2, T3, T4> value)
    {
        writer.WriteArrayHeader(4);
        Serializer<T1>.Instance.Serialize(ref writer, value.Item1);
        Serializer<T2>.Instance.Serialize(ref writer, value.Item2);
        Serializer<T3>.Instance.Serialize(ref writer, value.Item3);
        Serializer<T4>.Instance.Serialize(ref writer, value.Item4);
    }

    public ValueTuple<T1, T2, T3, T4> Deserialize(ref MessagePackReader reader)
    {
        ReaderChecks.ReadArrayHeader(ref reader, 4, "a 4-tuple");
        var item1 = Serializer<T1>.Instance.Deserialize(ref reader);
        var item2 = Serializer<T2>.Instance.Deserialize(ref reader);
        var item3 = Serializer<T3>.Instance.Deserialize(ref reader);
        var item4 = Serializer<T4>.Instance.Deserialize(ref reader);
        return (item1, item2, item3, item4);
    }
}
