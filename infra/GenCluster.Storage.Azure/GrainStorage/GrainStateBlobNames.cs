using System.Globalization;
using System.Text;
using GenCluster.Runtime;

namespace GenCluster.Storage.Azure;

/// <summary>
/// The blob name of a grain state: <c>prefix + type/key/state</c>, each part escaped so that any grain type, key and
/// state name gives a valid, distinct blob name that decodes back to them. Letters, digits, <c>-</c> and <c>_</c>
/// stand for themselves; every other character is <c>~XX</c> per UTF-8 byte (upper-case hex), so a part never holds
/// <c>/</c> or ends with a dot, and names sort by type then key; an empty part is a lone <c>~</c>.
/// </summary>
/// <example><c>GetGrain&lt;IParameterShard&gt;("exp42/G/3")</c>, state <c>shard</c>: <c>grains/ParameterShard/exp42~2FG~2F3/shard</c>.</example>
internal static class GrainStateBlobNames
{
    /// <summary>The service's limit on a blob name's length.</summary>
    public const int MaxNameLength = 1024;

    private const char Escape = '~';
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The blob holding <paramref name="stateName"/> of <paramref name="grainId"/> under <paramref name="prefix"/>.</summary>
    /// <exception cref="ArgumentException">The name would be longer than <see cref="MaxNameLength"/>, or a part is not valid UTF-16.</exception>
    public static string Of(string prefix, GrainId grainId, string stateName)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(stateName);
        var name = $"{prefix}{Encode(grainId.Type)}/{Encode(grainId.Key)}/{Encode(stateName)}";
        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException(
                $"state '{stateName}' of {grainId} needs a blob name of {name.Length} characters; the service allows {MaxNameLength} (shorten the grain key)",
                nameof(grainId));
        }

        return name;
    }

    /// <summary>The grain and state a blob name made by <see cref="Of"/> with <paramref name="prefix"/> stands for.</summary>
    /// <returns>False when <paramref name="name"/> is not such a name.</returns>
    public static bool TryParse(string prefix, string name, out GrainId grainId, out string stateName)
    {
        grainId = default;
        stateName = string.Empty;
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = name[prefix.Length..].Split('/');
        if (parts.Length != 3 || !TryDecode(parts[0], out var type) || !TryDecode(parts[1], out var key) || !TryDecode(parts[2], out var state))
        {
            return false;
        }

        grainId = new GrainId(type, key);
        stateName = state;
        return true;
    }

    private static string Encode(string text)
    {
        if (text.Length == 0)
        {
            return Escape.ToString();
        }

        byte[] utf8;
        try
        {
            utf8 = s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"'{text}' is not valid UTF-16 (a lone surrogate), so it has no reversible blob name", nameof(text), e);
        }

        var encoded = new StringBuilder(utf8.Length);
        foreach (var b in utf8)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(Escape).Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static bool TryDecode(string part, out string text)
    {
        text = string.Empty;
        if (part == Escape.ToString())
        {
            return true;
        }

        if (part.Length == 0)
        {
            return false;
        }

        var utf8 = new List<byte>(part.Length);
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (c == Escape)
            {
                // Only the upper-case form Encode writes: one name per state.
                if (i + 2 >= part.Length || !IsUpperHex(part[i + 1]) || !IsUpperHex(part[i + 2]))
                {
                    return false;
                }

                var b = byte.Parse(part.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                utf8.Add(b);
                i += 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                utf8.Add((byte)c);
            }
            else
            {
                return false;
            }
        }

        try
        {
            text = s_strictUtf8.GetString([.. utf8]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
