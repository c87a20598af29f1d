namespace GenCluster.Runtime;

/// <summary>Where new activations of a grain class go.</summary>
public enum PlacementKind
{
    /// <summary>A consistent hash of the grain id over the active silos (the default).</summary>
    HashBased,

    /// <summary>The silo the first call came from, when it hosts the grain type.</summary>
    PreferLocal,

    /// <summary>The silo named by the key's first segment (<c>silo/device</c>), and only there.</summary>
    Pinned,
}

/// <summary>Chooses the placement of a grain class (default <see cref="PlacementKind.HashBased"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PlacementAttribute(PlacementKind kind) : Attribute
{
    public PlacementKind Kind { get; } = kind;
}
