using System.Collections.Concurrent;
using GenCluster.Runtime.Invocation;

namespace GenCluster.Runtime.Calls;

/// <summary>
/// Maps a grain interface to the grain type that implements it (the first half of a <see cref="GrainId"/>).
/// A client learns the mapping from its gateway (the cluster manifest), so it needs only the interfaces;
/// a silo, or a client with the grain classes loaded, also knows it from <see cref="GrainCodeRegistry"/>.
/// </summary>
internal sealed class GrainTypeResolver
{
    private readonly ConcurrentDictionary<Type, string> _resolved = new();
    private volatile IReadOnlyDictionary<uint, string>? _manifest;

    /// <summary>Adopts the cluster's interface-id → grain-type map, which takes precedence over local knowledge.</summary>
    public void SetManifest(IReadOnlyDictionary<uint, string> manifest)
    {
        _manifest = manifest;
        _resolved.Clear();
    }

    /// <summary>The grain type implementing <paramref name="interfaceType"/>.</summary>
    /// <exception cref="InvalidOperationException">The interface has no generated proxy, or no grain class implements it.</exception>
    public string Resolve(Type interfaceType) => _resolved.GetOrAdd(interfaceType, ResolveCore);

    /// <summary>The generated proxy and invoker of <paramref name="interfaceType"/>.</summary>
    /// <exception cref="InvalidOperationException">The interface has no generated code.</exception>
    public static GrainInterfaceInfo FindInterface(Type interfaceType) =>
        GrainCodeRegistry.FindInterface(interfaceType)
        ?? throw new InvalidOperationException($"{interfaceType.FullName} has no generated grain reference; is it a grain interface in a project that references GenCluster.CodeGen?");

    private string ResolveCore(Type interfaceType)
    {
        var info = FindInterface(interfaceType);
        if (_manifest is { } manifest && manifest.TryGetValue(info.InterfaceId, out var grainType))
        {
            return grainType;
        }

        return GrainCodeRegistry.FindImplementation(interfaceType).GrainType;
    }
}
