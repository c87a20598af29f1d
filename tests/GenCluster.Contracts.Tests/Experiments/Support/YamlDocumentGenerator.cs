using System.Text;

namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>
/// Writes random YAML documents inside the subset the spec reader supports: block mappings and sequences (nested,
/// compact <c>- key: v</c> and <c>- - v</c>, sequences at their key's indentation), flow collections spanning lines with
/// comments and trailing commas, plain scalars of every core-schema type (and YAML 1.1 look-alikes that are strings in
/// 1.2), multi-line plain, single- and double-quoted scalars with every escape, comments, blank lines, <c>---</c>/<c>...</c>.
/// Every document is valid YAML; what it means is left to the readers under comparison.
/// </summary>
internal sealed class YamlDocumentGenerator(int seed)
{
    private const int MaxDepth = 4;

    /// <summary>Plain scalars that are safe in block and flow context.</summary>
    private static readonly string[] s_plain =
    [
        "0", "7", "-12", "+3", "007", "0o17", "0o0", "0x1F", "0xff", "1.5", "-0.25", "1.", ".5", "+.5", "1e3", "1E-3", "-1.5e+10",
        "6.02e23", "2.5E400", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "9223372036854775807", "-9223372036854775808",
        "0x7FFFFFFFFFFFFFFF", "0o777777777777777777777", "-0", "+0.0",
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
        "yes", "No", "on", "OFF", "y", "1_000", "2001-12-14", "0b101", "0o8", "0xG", "1e", ".", "+", "nul", "TRue", "inf", "nan", "1.2.3",
        "hello", "hello world", "x-y", "-x", "semi;colon", "path/to/file", "é", "日本語", "emoji 😀", "a  b", "quote's", "say \"hi\"",
        "50%", "back`tick", "a!b", "a&b", "a*b", "a|b", "a>b", "a@b", "a'b", "dcgan", "silo-a/cpu:0",
    ];

    /// <summary>Plain scalars that only block context allows (flow indicators, ':' and '#' inside).</summary>
    private static readonly string[] s_blockOnlyPlain = ["a:b", "a#b", "http://example.com/x?y=1", "a[1]", "b,c", "x]", "x}y", "key:value", "what?", "c:/dir"];

    /// <summary>Words for multi-line plain scalars: their folded text is always a string.</summary>
    private static readonly string[] s_words = ["alpha", "beta", "gamma", "delta", "x1", "é", "日本", "7up", "a.b", "tail'"];

    private static readonly string[] s_quotedPieces =
    [
        "a", "b", "z", "Q", "0", "9", " ", "  ", "'", "\"", "\\", "#", ":", "-", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%",
        "@", "`", "?", "é", "日", "😀", "\t", ": ", " #", "---", "...",
    ];

    private static readonly string[] s_escapes =
    [
        "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\0", "\\a", "\\b", "\\e", "\\v", "\\f", "\\r", "\\ ", "\\N", "\\_", "\\L", "\\P",
        "\\x41", "\\xe9", "\\u00e9", "\\u263A", "\\U0001F600", "\\\t",
    ];

    private readonly Random _random = new(seed);
    private readonly StringBuilder _out = new();

    public string Next()
    {
        _out.Clear();
        MaybeBlankOrCommentLines();
        if (Chance(0.3))
        {
            _out.Append("---").Append(Chance(0.3) ? " # start" : string.Empty).Append('\n');
            MaybeBlankOrCommentLines();
        }

        double kind = _random.NextDouble();
        int rootIndent = Chance(0.15) ? _random.Next(1, 3) : 0;
        if (kind < 0.7)
        {
            BlockMapping(rootIndent, 0, null);
        }
        else if (kind < 0.82)
        {
            BlockSequence(rootIndent, 0, null);
        }
        else if (kind < 0.92)
        {
            _out.Append(Pad(rootIndent));
            FlowNode(-1, 0, forceCollection: true);
            EndLine();
        }
        else
        {
            _out.Append(Pad(rootIndent));
            Scalar(-1, flow: false);
            EndLine();
        }

        MaybeBlankOrCommentLines();
        if (Chance(0.15))
        {
            _out.Append("...\n");
            MaybeBlankOrCommentLines();
        }

        return _out.ToString();
    }

    private void BlockMapping(int indent, int depth, string? firstPrefix)
    {
        int count = _random.Next(1, depth == 0 ? 7 : 5);
        for (int i = 0; i < count; i++)
        {
            bool first = i == 0 && firstPrefix is not null;
            if (!first)
            {
                MaybeBlankOrCommentLines();
            }

            _out.Append(first ? firstPrefix : Pad(indent)).Append(Key(i, flow: false)).Append(Chance(0.1) ? " :" : ":");
            Value(indent, depth);
        }
    }

    private void Value(int indent, int depth)
    {
        double r = depth >= MaxDepth ? _random.NextDouble() * 0.55 : _random.NextDouble();
        if (r < 0.45)
        {
            _out.Append(Chance(0.2) ? "   " : " ");
            Scalar(indent, flow: false);
            EndLine();
        }
        else if (r < 0.55)
        {
            EndLine();
        }
        else if (r < 0.7)
        {
            EndLine();
            BlockMapping(indent + _random.Next(1, 5), depth + 1, null);
        }
        else if (r < 0.85)
        {
            EndLine();
            BlockSequence(Chance(0.4) ? indent : indent + _random.Next(1, 5), depth + 1, null);
        }
        else
        {
            _out.Append(' ');
            FlowNode(indent, depth + 1, forceCollection: true);
            EndLine();
        }
    }

    private void BlockSequence(int indent, int depth, string? firstPrefix)
    {
        int count = _random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            bool first = i == 0 && firstPrefix is not null;
            if (!first)
            {
                MaybeBlankOrCommentLines();
            }

            string dash = (first ? firstPrefix : Pad(indent)) + "-";
            double r = depth >= MaxDepth ? _random.NextDouble() * 0.5 : _random.NextDouble();
            if (r < 0.4)
            {
                _out.Append(dash).Append(Chance(0.2) ? "  " : " ");
                Scalar(indent, flow: false);
                EndLine();
            }
            else if (r < 0.5)
            {
                _out.Append(dash);
                EndLine();
            }
            else if (r < 0.65)
            {
                int spaces = _random.Next(1, 4);
                BlockMapping(indent + 1 + spaces, depth + 1, dash + Pad(spaces));
            }
            else if (r < 0.75)
            {
                int spaces = _random.Next(1, 3);
                BlockSequence(indent + 1 + spaces, depth + 1, dash + Pad(spaces));
            }
            else if (r < 0.87)
            {
                _out.Append(dash);
                EndLine();
                if (Chance(0.5))
                {
                    BlockMapping(indent + _random.Next(1, 5), depth + 1, null);
                }
                else
                {
                    BlockSequence(indent + _random.Next(1, 5), depth + 1, null);
                }
            }
            else
            {
                _out.Append(dash).Append(' ');
                FlowNode(indent, depth + 1, forceCollection: true);
                EndLine();
            }
        }
    }

    private void FlowNode(int parentIndent, int depth, bool forceCollection = false)
    {
        if (forceCollection || (depth < MaxDepth && Chance(0.3)))
        {
            if (Chance(0.5))
            {
                FlowSequence(parentIndent, depth);
            }
            else
            {
                FlowMapping(parentIndent, depth);
            }
        }
        else
        {
            Scalar(parentIndent, flow: true);
        }
    }

    private void FlowSequence(int parentIndent, int depth)
    {
        _out.Append('[');
        int count = _random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                _out.Append(',');
            }

            FlowSeparator(parentIndent, i > 0);
            FlowNode(parentIndent, depth + 1);
        }

        if (count > 0 && Chance(0.15))
        {
            _out.Append(',');
        }

        FlowSeparator(parentIndent, count > 0);
        _out.Append(']');
    }

    private void FlowMapping(int parentIndent, int depth)
    {
        _out.Append('{');
        int count = _random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                _out.Append(',');
            }

            FlowSeparator(parentIndent, i > 0);
            string key = Key(i, flow: true);
            _out.Append(key);
            if (Chance(0.1))
            {
                _out.Append(':');
            }
            else if (key[0] is '"' or '\'' && Chance(0.3))
            {
                // JSON style: no space after the ':' of a quoted key.
                _out.Append(':');
                FlowNode(parentIndent, depth + 1);
            }
            else
            {
                _out.Append(": ");
                FlowNode(parentIndent, depth + 1);
            }
        }

        if (count > 0 && Chance(0.15))
        {
            _out.Append(',');
        }

        FlowSeparator(parentIndent, count > 0);
        _out.Append('}');
    }

    /// <summary>Nothing, a space, or a line break (maybe after a comment) and indentation deeper than the parent.</summary>
    private void FlowSeparator(int parentIndent, bool allowSpace)
    {
        double r = _random.NextDouble();
        if (r < 0.4 && allowSpace)
        {
            _out.Append(' ');
        }
        else if (r < 0.7)
        {
            if (Chance(0.3))
            {
                _out.Append(" # ").Append(CommentText());
            }

            _out.Append('\n');
            if (Chance(0.2))
            {
                _out.Append('\n');
            }

            _out.Append(Pad(Continuation(parentIndent)));
        }
    }

    private void Scalar(int parentIndent, bool flow)
    {
        double r = _random.NextDouble();
        if (r < 0.45)
        {
            Plain(parentIndent, flow);
        }
        else if (r < 0.7)
        {
            SingleQuoted(parentIndent);
        }
        else
        {
            DoubleQuoted(parentIndent);
        }
    }

    private void Plain(int parentIndent, bool flow)
    {
        if (Chance(0.2))
        {
            // Multi-line: folded into one string with spaces (one break) or newlines (empty lines).
            int lines = _random.Next(2, 4);
            for (int i = 0; i < lines; i++)
            {
                if (i > 0)
                {
                    _out.Append(Chance(0.3) ? " \n" : "\n");
                    int empty = Chance(0.3) ? _random.Next(1, 3) : 0;
                    for (int e = 0; e < empty; e++)
                    {
                        _out.Append(Chance(0.5) ? "\n" : "  \n");
                    }

                    _out.Append(Pad(Continuation(parentIndent)));
                }

                _out.Append(Pick(s_words));
                if (Chance(0.3))
                {
                    _out.Append(' ').Append(Pick(s_words));
                }
            }

            return;
        }

        _out.Append(!flow && Chance(0.2) ? Pick(s_blockOnlyPlain) : Pick(s_plain));
    }

    private void SingleQuoted(int parentIndent)
    {
        _out.Append('\'');
        int pieces = _random.Next(0, 8);
        for (int i = 0; i < pieces; i++)
        {
            if (Chance(0.12))
            {
                Break(parentIndent);
                continue;
            }

            _out.Append(Pick(s_quotedPieces).Replace("'", "''", StringComparison.Ordinal));
        }

        _out.Append('\'');
    }

    private void DoubleQuoted(int parentIndent)
    {
        _out.Append('"');
        int pieces = _random.Next(0, 8);
        for (int i = 0; i < pieces; i++)
        {
            double r = _random.NextDouble();
            if (r < 0.1)
            {
                Break(parentIndent);
            }
            else if (r < 0.15)
            {
                // An escaped line break joins the lines without a space.
                _out.Append("\\\n").Append(Pad(Continuation(parentIndent)));
            }
            else if (r < 0.5)
            {
                _out.Append(Pick(s_escapes));
            }
            else
            {
                _out.Append(Pick(s_quotedPieces).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal));
            }
        }

        _out.Append('"');
    }

    /// <summary>A line break inside a quoted scalar: maybe trailing spaces, empty lines, then a deeper indentation.</summary>
    private void Break(int parentIndent)
    {
        if (Chance(0.3))
        {
            _out.Append("  ");
        }

        _out.Append('\n');
        if (Chance(0.3))
        {
            _out.Append(Chance(0.5) ? "\n" : " \n");
        }

        _out.Append(Pad(Continuation(parentIndent)));
        if (Chance(0.2))
        {
            _out.Append(' ');
        }
    }

    private string Key(int index, bool flow) => _random.Next(8) switch
    {
        0 => $"key_{index}",
        1 => $"the key {index}",
        2 => (100 + index).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => $"ké{index}",
        4 => $"'q {index}''s'",
        5 => $"\"d\\t{index}\"",
        6 when !flow => $"k:{index}",
        _ => $"k{index}",
    };

    private void EndLine()
    {
        if (Chance(0.25))
        {
            _out.Append(Chance(0.5) ? " # " : "    # ").Append(CommentText());
        }

        _out.Append('\n');
    }

    private void MaybeBlankOrCommentLines()
    {
        while (Chance(0.2))
        {
            if (Chance(0.5))
            {
                _out.Append(Chance(0.5) ? string.Empty : "   ").Append('\n');
            }
            else
            {
                _out.Append(Pad(_random.Next(0, 9))).Append("# ").Append(CommentText()).Append('\n');
            }
        }
    }

    private string CommentText() => Pick(["note", "a: b", "#hash", "'quote", "\"dq", "tab\there", "- dash", "[x]", "日本", "---"]);

    /// <summary>An indentation deeper than <paramref name="parentIndent"/> and never column 0, where '---' would end the document.</summary>
    private int Continuation(int parentIndent) => Math.Max(parentIndent + 1, 1) + _random.Next(0, 4);

    private static string Pad(int spaces) => new(' ', spaces);

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
