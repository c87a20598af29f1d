using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A nullable value: nil for null, otherwise the value as <typeparamref name="T"/> travels.</summary>
internal sealed class NullableSerializer<T> : IMessagePackSerializer<T?>
    where T : struct
{
    public void Serialize(ref MessagePackWriter writer, T? value)
    {
        if (value is { } present)
        {
            Serializer<T>.Instance.Serialize(ref writer, present);
        }
        else
        {
            writer.WriteNil();
        }
    }

    public T? Deserialize(ref MessagePackReader reader) => reader.TryReadNil() ? null : Serializer<T>.Instance.Deserialize(ref reader);
}
