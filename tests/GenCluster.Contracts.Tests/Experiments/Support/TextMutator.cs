using System.Text;

namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>Mutates spec text the way typos, bad merges and hostile input do: characters, tokens, lines and indentation.</summary>
internal sealed class TextMutator(int seed)
{
    private static readonly string[] s_characters =
    [
        ":", "-", "[", "]", "{", "}", ",", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "?", "\t", "\n", "\r", " ", "\\",
        "0", "9", "a", "Z", ".", "é", "😀", "\u0000", "\u0001", "\u0085", "\u2028", "\uFEFF", "\uFFFF", "\ud800", "\udc00",
    ];

    private static readonly string[] s_tokens =
    [
        "&a ", "*a", "!!str ", "|\n", "> ", "? ", "---\n", "...\n", "%YAML 1.2\n", "\"\\u", "\"\\U0011FFFF\"", "'", "[[[[[[[[[[", "{{{{",
        "~", ".nan", "-.inf", "99999999999999999999", "0x", "0o9", "- ", ": ", "null", "true", "yes", "1e999", "-0", "\"\\ud800\"",
        "  ", "\n  ", "\n- ", "auto", "silo-a/cpu:0", "[silo-a/cpu:0, silo-a/cpu:0]", "sgd", "mlp-gan", "-1", "1.5", "65537", "# c",
    ];

    private readonly Random _random = new(seed);

    public string Mutate(string text)
    {
        int count = _random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            text = MutateOnce(text);
        }

        return text;
    }

    private string MutateOnce(string text)
    {
        if (text.Length == 0)
        {
            return Pick(s_tokens);
        }

        int at = _random.Next(text.Length);
        var lines = text.Split('\n').ToList();
        int line = _random.Next(lines.Count);
        switch (_random.Next(11))
        {
            case 0:
                return text.Remove(at, Math.Min(_random.Next(1, 8), text.Length - at));
            case 1:
                return text.Insert(at, Pick(s_characters));
            case 2:
                return text.Remove(at, 1).Insert(at, Pick(s_characters));
            case 3:
                return text.Insert(at, Pick(s_tokens));
            case 4:
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            case 5:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 6:
                int other = _random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 7:
                lines[line] = _random.Next(2) == 0 ? new string(' ', _random.Next(1, 5)) + lines[line] : lines[line].TrimStart();
                return string.Join('\n', lines);
            case 8:
                return text[..at];
            case 9:
                return ReplaceNumber(text);
            default:
                var builder = new StringBuilder(text);
                builder[at] = char.IsUpper(builder[at]) ? char.ToLowerInvariant(builder[at]) : char.ToUpperInvariant(builder[at]);
                return builder.ToString();
        }
    }

    /// <summary>Swaps a run of digits for another number: out of range, negative, fractional or huge.</summary>
    private string ReplaceNumber(string text)
    {
        int start = text.IndexOfAny("0123456789".ToCharArray(), _random.Next(text.Length));
        if (start < 0)
        {
            return text;
        }

        int end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        string replacement = Pick(["0", "-1", "1.5", "65536", "65537", "4097", "1025", "2147483648", "9223372036854775807", "1e400", "3", "7"]);
        return text[..start] + replacement + text[end..];
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
