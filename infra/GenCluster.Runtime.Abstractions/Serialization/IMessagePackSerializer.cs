using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>Writes and reads values of <typeparamref name="T"/> as MessagePack. Implementations are generated
/// at build time for <see cref="GenerateSerializerAttribute"/> types and are stateless and thread-safe.</summary>
public interface IMessagePackSerializer<T>
{
    void Serialize(ref MessagePackWriter writer, T value);

    T Deserialize(ref MessagePackReader reader);
}

/// <summary>No serializer is known for a type: mark it <see cref="GenerateSerializerAttribute"/> or register one.</summary>
public sealed class SerializerNotFoundException(Type type)
    : InvalidOperationException($"no MessagePack serializer for {type.FullName}; mark it [GenerateSerializer] or register one with SerializerRegistry")
{
    public Type Type { get; } = type;
}
