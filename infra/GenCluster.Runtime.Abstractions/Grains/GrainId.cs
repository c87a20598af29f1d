namespace GenCluster.Runtime;

/// <summary>
/// The identity of a grain: its grain type (e.g. <c>parametershard</c>) and key (e.g. <c>exp42/G/3</c>).
/// The grain exists virtually; the runtime activates it on demand somewhere in the cluster.
/// </summary>
/// <param name="Type">The grain type name, lower case, without the <c>Grain</c> suffix.</param>
/// <param name="Key">The key within the type.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary><c>type/key</c>.</summary>
    public override string ToString() => $"{Type}/{Key}";

    /// <summary>Parses <c>type/key</c> (the key may itself contain '/').</summary>
    /// <exception cref="FormatException">There is no '/' or the type is empty.</exception>
    public static GrainId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException($"'{text}' is not a grain id of the form type/key");
        }

        return new GrainId(text[..slash], text[(slash + 1)..]);
    }
}
