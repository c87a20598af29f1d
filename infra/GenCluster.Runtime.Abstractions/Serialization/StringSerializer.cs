using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>A UTF-8 string; null travels as nil.</summary>
internal sealed class StringSerializer : IMessagePackSerializer<string>
{
    public void Serialize(ref MessagePackWriter writer, string value) => writer.WriteString(value);

    public string Deserialize(ref MessagePackReader reader) => reader.TryReadNil() ? null! : reader.ReadString();
}
