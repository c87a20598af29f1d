using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>Serializers for primitives, strings and common collections, registered on first use.</summary>
internal static class BuiltInSerializers
{
    private static int s_registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        SerializerRegistry.Register(new Int32Serializer());
        SerializerRegistry.Register(new Int64Serializer());
        SerializerRegistry.Register(new BooleanSerializer());
        SerializerRegistry.Register(new DoubleSerializer());
        SerializerRegistry.Register(new StringSerializer());
    }

    private sealed class Int32Serializer : IMessagePackSerializer<int>
    {
        public void Serialize(ref MessagePackWriter writer, int value) => writer.Write(value);

        public int Deserialize(ref MessagePackReader reader) => reader.ReadInt32();
    }

    private sealed class Int64Serializer : IMessagePackSerializer<long>
    {
        public void Serialize(ref MessagePackWriter writer, long value) => writer.Write(value);

        public long Deserialize(ref MessagePackReader reader) => reader.ReadInt64();
    }

    private sealed class BooleanSerializer : IMessagePackSerializer<bool>
    {
        public void Serialize(ref MessagePackWriter writer, bool value) => writer.Write(value);

        public bool Deserialize(ref MessagePackReader reader) => reader.ReadBoolean();
    }

    private sealed class DoubleSerializer : IMessagePackSerializer<double>
    {
        public void Serialize(ref MessagePackWriter writer, double value) => writer.Write(value);

        public double Deserialize(ref MessagePackReader reader) => reader.ReadDouble();
    }

    private sealed class StringSerializer : IMessagePackSerializer<string>
    {
        public void Serialize(ref MessagePackWriter writer, string value)
        {
            if (value is null)
            {
                writer.WriteNil();
            }
            else
            {
                writer.WriteString(value);
            }
        }

        public string Deserialize(ref MessagePackReader reader) => reader.TryReadNil() ? null! : reader.ReadString();
    }
}
