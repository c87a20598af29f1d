using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// Known serializers: the built-ins, those generated for <see cref="GenerateSerializerAttribute"/> types
/// (registered by generated module initializers), and any registered by hand.
/// </summary>
public static class SerializerRegistry
{
    private static readonly ConcurrentDictionary<Type, object> s_serializers = new();
    private static readonly ConcurrentDictionary<Type, Func<Type, object?>> s_generic = new();
    private static readonly ConcurrentDictionary<Module, bool> s_initializedModules = new();

    /// <summary>Registers (or replaces) the serializer of <typeparamref name="T"/>.</summary>
    public static void Register<T>(IMessagePackSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        s_serializers[typeof(T)] = serializer;
        Serializer<T>.Reset();
    }

    /// <summary>Registers a factory for a generic type definition, e.g. <c>List&lt;&gt;</c>, given the closed type.</summary>
    public static void RegisterGeneric(Type genericDefinition, Func<Type, object?> factory)
    {
        ArgumentNullException.ThrowIfNull(genericDefinition);
        ArgumentNullException.ThrowIfNull(factory);
        s_generic[genericDefinition] = factory;
    }

    /// <summary>Whether a serializer for <paramref name="type"/> is known or can be built.</summary>
    public static bool IsKnown(Type type) => s_serializers.ContainsKey(type) || TryBuild(type) is not null;

    /// <summary>Registers a built-in unless a serializer for <typeparamref name="T"/> was registered by hand first.</summary>
    internal static void RegisterBuiltIn<T>(IMessagePackSerializer<T> serializer) => s_serializers.TryAdd(typeof(T), serializer);

    /// <summary>Registers a built-in generic factory unless one was registered by hand first.</summary>
    internal static void RegisterGenericBuiltIn(Type genericDefinition, Func<Type, object?> factory) => s_generic.TryAdd(genericDefinition, factory);

    internal static IMessagePackSerializer<T>? Resolve<T>()
    {
        if (s_serializers.TryGetValue(typeof(T), out var known))
        {
            return (IMessagePackSerializer<T>)known;
        }

        var built = TryBuild(typeof(T));
        if (built is IMessagePackSerializer<T> serializer)
        {
            s_serializers.TryAdd(typeof(T), serializer);
            return serializer;
        }

        return null;
    }

    private static object? TryBuild(Type type)
    {
        BuiltInSerializers.EnsureRegistered();
        var built = TryBuildKnown(type);
        if (built is null && EnsureModuleInitialized(type))
        {
            built = TryBuildKnown(type);
        }

        return built;
    }

    private static object? TryBuildKnown(Type type)
    {
        if (s_serializers.TryGetValue(type, out var known))
        {
            return known;
        }

        var key = type.IsArray ? typeof(Array) : type.IsEnum ? typeof(Enum) : type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        return key is not null && s_generic.TryGetValue(key, out var factory) ? factory(type) : null;
    }

    /// <summary>
    /// Generated serializers register from their assembly's module initializer, which .NET runs only once code of that
    /// assembly is about to run; a type obtained by name (from a message header, say) does not trigger it. So before
    /// giving up on a type, run its module's initializer; returns whether this is the first time it was asked for.
    /// </summary>
    private static bool EnsureModuleInitialized(Type type)
    {
        var module = type.Module;
        if (!s_initializedModules.TryAdd(module, true))
        {
            return false;
        }

        RuntimeHelpers.RunModuleConstructor(module.ModuleHandle);
        return true;
    }
}
