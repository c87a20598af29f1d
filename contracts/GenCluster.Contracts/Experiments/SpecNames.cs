namespace GenCluster.Contracts.Experiments;

/// <summary>
/// The syntax of names that end up inside grain keys and paths (experiment and silo names): letters, digits,
/// '.', '_' and '-', starting with a letter or digit. '/' separates the parts of a grain key, so it never appears.
/// </summary>
internal static class SpecNames
{
    /// <summary>Whether <paramref name="name"/> is 1 to <paramref name="maxLength"/> allowed characters.</summary>
    public static bool IsValid(string? name, int maxLength)
    {
        if (string.IsNullOrEmpty(name) || name.Length > maxLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
