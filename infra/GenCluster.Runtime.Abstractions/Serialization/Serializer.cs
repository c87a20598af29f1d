namespace GenCluster.Runtime.Serialization;

/// <summary>
/// The serializer of <typeparamref name="T"/>, resolved once per type from <see cref="SerializerRegistry"/>
/// and then read from a static field, so a call site pays no lookup.
/// </summary>
public static class Serializer<T>
{
    private static IMessagePackSerializer<T>? s_instance;

    /// <summary>The serializer; throws <see cref="SerializerNotFoundException"/> when none is known.</summary>
    public static IMessagePackSerializer<T> Instance =>
        s_instance ??= SerializerRegistry.Resolve<T>() ?? throw new SerializerNotFoundException(typeof(T));

    internal static void Reset() => s_instance = null;
}
