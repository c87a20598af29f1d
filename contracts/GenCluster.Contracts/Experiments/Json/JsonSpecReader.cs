using System.Text;
using System.Text.Json;
using GenCluster.Contracts.Experiments.Documents;

namespace GenCluster.Contracts.Experiments.Json;

/// <summary>
/// Reads strict JSON (RFC 8259: no comments, no trailing commas, one value) into <see cref="SpecNode"/>s with
/// System.Text.Json's <see cref="Utf8JsonReader"/>, keeping each node's line and column. Duplicate keys are an error
/// (JSON leaves them undefined); integers must fit in 64 bits and other numbers in a double.
/// </summary>
internal sealed class JsonSpecReader
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    private JsonSpecReader(byte[] utf8)
    {
        _utf8 = utf8;
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Reads one JSON value.</summary>
    /// <exception cref="SpecSyntaxException">The text is not JSON, or a value is out of range.</exception>
    public static SpecNode Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        for (int i = 0; i < text.Length; i++)
        {
            // Encoding would silently replace a lone surrogate with U+FFFD.
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                var (line, column) = PositionInText(text, i);
                throw new SpecSyntaxException(line, column, $"the lone surrogate U+{(int)text[i]:X4} is not a character (the text is not valid UTF-16)");
            }
        }

        return new JsonSpecReader(Encoding.UTF8.GetBytes(text)).ReadDocument();
    }

    private SpecNode ReadDocument()
    {
        var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = ExperimentSpecLimits.MaxNestingDepth,
        });
        try
        {
            if (!reader.Read())
            {
                throw Error(0, "the text holds no JSON value");
            }

            var root = ReadValue(ref reader);

            // Utf8JsonReader throws on anything but white space after the value.
            if (reader.Read())
            {
                throw Error((int)reader.TokenStartIndex, "only one JSON value is allowed");
            }

            return root;
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0);
            int lineStart = line < _lineStarts.Count ? _lineStarts[line] : 0;
            int bytes = (int)Math.Min(e.BytePositionInLine ?? 0, _utf8.Length - lineStart);
            int column = Encoding.UTF8.GetCharCount(_utf8, lineStart, Math.Max(bytes, 0)) + 1;
            throw new SpecSyntaxException(line + 1, column, Describe(e));
        }
    }

    private SpecNode ReadValue(ref Utf8JsonReader reader)
    {
        int start = (int)reader.TokenStartIndex;
        var (line, column) = Position(start);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, line, column);
            case JsonTokenType.StartArray:
                var items = new List<SpecNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return new SpecSequence(line, column, items);
            case JsonTokenType.String:
                return SpecScalar.String(line, column, GetString(ref reader, start));
            case JsonTokenType.Number:
                return ReadNumber(ref reader, start, line, column);
            case JsonTokenType.True:
                return SpecScalar.Boolean(line, column, true, "true");
            case JsonTokenType.False:
                return SpecScalar.Boolean(line, column, false, "false");
            case JsonTokenType.Null:
                return SpecScalar.Null(line, column, "null");
            default:
                throw Error(start, $"unexpected JSON token {reader.TokenType}");
        }
    }

    private SpecMapping ReadObject(ref Utf8JsonReader reader, int line, int column)
    {
        var entries = new List<KeyValuePair<SpecScalar, SpecNode>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int keyStart = (int)reader.TokenStartIndex;
            var (keyLine, keyColumn) = Position(keyStart);
            string name = GetString(ref reader, keyStart);
            if (!keys.Add(name))
            {
                throw Error(keyStart, $"duplicate key '{(name.Length <= 60 ? name : name[..57] + "...")}'");
            }

            reader.Read();
            entries.Add(new(SpecScalar.String(keyLine, keyColumn, name), ReadValue(ref reader)));
        }

        return new SpecMapping(line, column, entries);
    }

    private SpecScalar ReadNumber(ref Utf8JsonReader reader, int start, int line, int column)
    {
        var raw = reader.ValueSpan;
        string text = Encoding.UTF8.GetString(raw);
        bool integral = raw.IndexOfAny("."u8) < 0 && raw.IndexOfAny("eE"u8) < 0;
        if (integral)
        {
            return reader.TryGetInt64(out long value)
                ? SpecScalar.Integer(line, column, value, text)
                : throw Error(start, $"the integer {Shorten(text)} does not fit in 64 bits (−2^63 to 2^63−1)");
        }

        return reader.TryGetDouble(out double number) && double.IsFinite(number)
            ? SpecScalar.Number(line, column, number, text)
            : throw Error(start, $"the number {Shorten(text)} is out of the range of a double");
    }

    private string GetString(ref Utf8JsonReader reader, int start)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // Escapes that decode to lone surrogates ("\ud800") cannot become a .NET string faithfully.
            throw Error(start, "the string is not valid Unicode: " + e.Message);
        }
    }

    /// <summary>The reader's message without its "LineNumber: … | BytePositionInLine: …" suffix (the error carries the position).</summary>
    private static string Describe(JsonException e)
    {
        string message = e.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return "not valid JSON: " + (suffix > 0 ? message[..suffix] : message).TrimEnd('.');
    }

    private (int Line, int Column) Position(int byteOffset)
    {
        int index = _lineStarts.BinarySearch(byteOffset);
        int line = index >= 0 ? index : ~index - 1;
        int lineStart = _lineStarts[line];
        return (line + 1, Encoding.UTF8.GetCharCount(_utf8, lineStart, byteOffset - lineStart) + 1);
    }

    private SpecSyntaxException Error(int byteOffset, string reason)
    {
        var (line, column) = Position(Math.Min(byteOffset, _utf8.Length));
        return new SpecSyntaxException(line, column, reason);
    }

    private static (int Line, int Column) PositionInText(string text, int index)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
