namespace GenCluster.Storage;

/// <summary>The rules for object names: '/'-separated segments of [A-Za-z0-9._-], no empty, "." or ".." segment.</summary>
public static class ObjectNames
{
    /// <summary>The longest name accepted (Azure's blob name limit is 1024 characters).</summary>
    public const int MaxLength = 1024;

    /// <summary>Throws when <paramref name="name"/> is not a valid object name.</summary>
    /// <exception cref="ArgumentException">It is empty, too long, or has an invalid segment or character.</exception>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"an object name has 1 to {MaxLength} characters: '{name}'", nameof(name));
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException($"object name '{name}' has an empty, '.' or '..' segment", nameof(name));
            }
        }

        ValidateCharacters(name, nameof(name));
    }

    /// <summary>Throws when <paramref name="prefix"/> holds a character no name may hold (an empty prefix lists everything).</summary>
    /// <exception cref="ArgumentException">It holds a character outside [A-Za-z0-9._-/] or is too long.</exception>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxLength)
        {
            throw new ArgumentException($"a prefix has at most {MaxLength} characters", nameof(prefix));
        }

        ValidateCharacters(prefix, nameof(prefix));
    }

    private static void ValidateCharacters(string value, string parameter)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                throw new ArgumentException($"'{value}' holds '{c}': names are made of [A-Za-z0-9._-] segments separated by '/'", parameter);
            }
        }
    }
}
