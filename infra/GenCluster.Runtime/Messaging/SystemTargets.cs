namespace GenCluster.Runtime.Messaging;

/// <summary>Names of the runtime's system targets.</summary>
internal static class SystemTargets
{
    /// <summary>The prefix that marks a grain type as a system target.</summary>
    public const string Prefix = "sys.";

    /// <summary>The grain directory partition of a silo.</summary>
    public static readonly GrainId Directory = new("sys.directory", string.Empty);

    /// <summary>The cluster manifest a gateway gives its clients (interface id → grain type).</summary>
    public static readonly GrainId Manifest = new("sys.manifest", string.Empty);

    /// <summary>Whether <paramref name="grainId"/> addresses a system target.</summary>
    public static bool IsSystemTarget(GrainId grainId) => grainId.Type?.StartsWith(Prefix, StringComparison.Ordinal) == true;
}
