namespace GenCluster.Runtime;

/// <summary>The grain may interleave its turns: a request can start while another awaits.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}

/// <summary>This interface method may run interleaved with any other request of the grain.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}

/// <summary>The caller does not wait for completion or errors.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}

/// <summary>
/// The method's large tensor arrays in its result are sent by reference, not copied when the method returns: the grain
/// promises to leave an array it returned unchanged from then on (for example a freshly computed sum that it shares
/// with every caller). Without it a result is copied as the method returns, so a grain may reuse what it returned.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResultByReferenceAttribute : Attribute
{
}

/// <summary>Names a grain class's type explicitly (default: class name without "Grain", lower case).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>A stable name for an interface, method or type that survives renames (used for ids on the wire).</summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class AliasAttribute(string alias) : Attribute
{
    public string Alias { get; } = alias;
}

/// <summary>Generate a MessagePack serializer for this type at build time; its members carry <see cref="IdAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum)]
public sealed class GenerateSerializerAttribute : Attribute
{
}

/// <summary>The stable field id of a serialized member.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class IdAttribute(uint id) : Attribute
{
    public uint Id { get; } = id;
}
