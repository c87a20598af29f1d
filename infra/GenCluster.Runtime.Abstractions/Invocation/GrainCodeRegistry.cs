using System.Collections.Concurrent;

namespace GenCluster.Runtime.Invocation;

/// <summary>A grain class known to the runtime.</summary>
/// <param name="GrainClass">The implementation type.</param>
/// <param name="GrainType">Its grain type name (the first part of a <see cref="GrainId"/>).</param>
/// <param name="Interfaces">The grain interfaces it implements.</param>
/// <param name="Placement">Where its activations go.</param>
/// <param name="Reentrant">Whether its turns may interleave.</param>
public sealed record GrainClassInfo(Type GrainClass, string GrainType, IReadOnlyList<Type> Interfaces, PlacementKind Placement, bool Reentrant);

/// <summary>A grain interface known to the runtime, with its generated proxy factory and invoker.</summary>
public sealed record GrainInterfaceInfo(Type InterfaceType, uint InterfaceId, Func<GrainId, IGrainCallInvoker, GrainReference> CreateProxy, IGrainMethodInvoker Invoker);

/// <summary>
/// What the build-time generator found: grain interfaces (proxy + invoker) and grain classes.
/// Generated module initializers fill it when their assembly loads.
/// </summary>
public static class GrainCodeRegistry
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceInfo> s_interfaces = new();
    private static readonly ConcurrentDictionary<uint, GrainInterfaceInfo> s_interfacesById = new();
    private static readonly ConcurrentDictionary<Type, GrainClassInfo> s_classes = new();

    public static void RegisterInterface(GrainInterfaceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (s_interfacesById.TryGetValue(info.InterfaceId, out var existing) && existing.InterfaceType != info.InterfaceType)
        {
            throw new InvalidOperationException($"grain interfaces {existing.InterfaceType.FullName} and {info.InterfaceType.FullName} share id {info.InterfaceId}; give one an [Alias]");
        }

        s_interfaces[info.InterfaceType] = info;
        s_interfacesById[info.InterfaceId] = info;
    }

    public static void RegisterGrainClass(GrainClassInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        s_classes[info.GrainClass] = info;
    }

    public static GrainInterfaceInfo? FindInterface(Type interfaceType) => s_interfaces.GetValueOrDefault(interfaceType);

    public static GrainInterfaceInfo? FindInterface(uint interfaceId) => s_interfacesById.GetValueOrDefault(interfaceId);

    public static IReadOnlyCollection<GrainClassInfo> GrainClasses => s_classes.Values.ToList();

    /// <summary>The grain class implementing <paramref name="interfaceType"/>.</summary>
    /// <exception cref="InvalidOperationException">None, or more than one, is known.</exception>
    public static GrainClassInfo FindImplementation(Type interfaceType)
    {
        var matches = s_classes.Values.Where(c => c.Interfaces.Contains(interfaceType)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InvalidOperationException($"no grain class implements {interfaceType.FullName}; is its assembly loaded?"),
            _ => throw new InvalidOperationException($"{interfaceType.FullName} is implemented by several grain classes ({string.Join(", ", matches.Select(m => m.GrainClass.Name))})"),
        };
    }

    /// <summary>The grain class with grain type name <paramref name="grainType"/>, or null.</summary>
    public static GrainClassInfo? FindGrainType(string grainType) => s_classes.Values.FirstOrDefault(c => c.GrainType == grainType);
}
