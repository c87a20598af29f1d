using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Invocation;

namespace GenCluster.Runtime.Gateway;

/// <summary>
/// The cluster manifest a gateway gives its clients: which grain type implements each grain interface (by interface
/// id), so a client that has only the interfaces can form grain ids. Wire form: a map of interface id → grain type.
/// </summary>
internal static class GrainManifest
{
    /// <summary>The method id of the manifest request.</summary>
    public const uint GetManifestMethod = 1;

    /// <summary>Interfaces implemented by exactly one known grain class, with that class's grain type.</summary>
    public static IReadOnlyDictionary<uint, string> FromRegistry()
    {
        var manifest = new Dictionary<uint, string>();
        var ambiguous = new HashSet<uint>();
        foreach (var grainClass in GrainCodeRegistry.GrainClasses)
        {
            foreach (var interfaceType in grainClass.Interfaces)
            {
                if (GrainCodeRegistry.FindInterface(interfaceType) is not { } info || ambiguous.Contains(info.InterfaceId))
                {
                    continue;
                }

                if (manifest.TryGetValue(info.InterfaceId, out var other) && other != grainClass.GrainType)
                {
                    // Several classes implement it: a client cannot pick one by interface alone.
                    manifest.Remove(info.InterfaceId);
                    ambiguous.Add(info.InterfaceId);
                    continue;
                }

                manifest[info.InterfaceId] = grainClass.GrainType;
            }
        }

        return manifest;
    }

    /// <summary>Encodes <paramref name="manifest"/>.</summary>
    public static byte[] Encode(IReadOnlyDictionary<uint, string> manifest)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (manifest.Count * 32));
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(manifest.Count);
        foreach (var (interfaceId, grainType) in manifest)
        {
            writer.Write(interfaceId);
            writer.WriteString(grainType);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a manifest.</summary>
    /// <exception cref="MessagePackDecodeException">The bytes are not a manifest.</exception>
    public static IReadOnlyDictionary<uint, string> Decode(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        int count = reader.ReadMapHeader();
        var manifest = new Dictionary<uint, string>(count);
        for (int i = 0; i < count; i++)
        {
            uint interfaceId = reader.ReadUInt32();
            manifest[interfaceId] = reader.ReadString();
        }

        return manifest;
    }
}
