using System.Globalization;
using System.Text;
using GenCluster.Contracts.Experiments.Documents;

namespace GenCluster.Contracts.Experiments.Yaml;

/// <summary>
/// Reads the YAML subset a spec needs into <see cref="SpecNode"/>s: one document (optionally opened by <c>---</c> and
/// closed by <c>...</c>); block mappings and sequences (including sequences at their key's indentation and compact
/// <c>- key: value</c> entries); flow sequences and mappings, which may span lines; plain, single- and double-quoted
/// scalars, which may span lines (folded as YAML folds them); comments; and the YAML 1.2 core schema
/// (<see cref="YamlCoreSchema"/>).
/// </summary>
/// <remarks>
/// Anything outside the subset is a <see cref="SpecSyntaxException"/> with the line and column where it starts, never a
/// silent misreading: anchors, aliases, tags, directives, explicit keys, block scalars (<c>|</c>, <c>&gt;</c>),
/// several documents, collections or multi-line scalars as keys, single-pair mappings inside <c>[ ]</c>, keys without
/// <c>:</c> in <c>{ }</c>, duplicate keys, tabs outside quoted scalars and comments, control characters, the line
/// separators YAML 1.1 and 1.2 disagree on (U+0085, U+2028, U+2029) and nesting deeper than
/// <see cref="ExperimentSpecLimits.MaxNestingDepth"/>. Columns count UTF-16 code units from 1.
/// </remarks>
internal sealed class YamlReader
{
    private const string FlowIndicators = ",[]{}";
    private const string TabMessage = "tab characters are only allowed inside quoted scalars and comments; indent and separate with spaces";

    private readonly string _text;
    private readonly List<int> _lineStarts = [0];
    private int _pos;
    private int _depth;

    private YamlReader(string text)
    {
        _text = text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Reads one document; an empty document is a null scalar.</summary>
    /// <exception cref="SpecSyntaxException">The text is not YAML, or not in the subset.</exception>
    public static SpecNode Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        // YAML reads CR LF and a lone CR as one line break each; after this, line numbers and columns are unchanged.
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var reader = new YamlReader(normalized);
        reader.CheckCharacters();
        return reader.ReadDocument();
    }

    private void CheckCharacters()
    {
        for (int i = 0; i < _text.Length; i++)
        {
            char c = _text[i];
            if (c is '\n' or '\t' || (c >= ' ' && c < '\u007F') || (c > '\u009F' && c < '\u2028'))
            {
                continue;
            }

            string? problem = c switch
            {
                '\u0085' or '\u2028' or '\u2029' => $"the line separator U+{(int)c:X4} is not allowed: YAML 1.1 reads it as a line break and YAML 1.2 does not; escape it in a double-quoted scalar",
                < ' ' or (>= '\u007F' and <= '\u009F') => $"the control character U+{(int)c:X4} is not allowed; escape it in a double-quoted scalar",
                '\uFEFF' => "a byte order mark (U+FEFF) is only allowed at the very start",
                '\uFFFE' or '\uFFFF' => $"U+{(int)c:X4} is not a character",
                _ when char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(_text[i - 1]) => null,
                _ when char.IsSurrogate(c) => $"the lone surrogate U+{(int)c:X4} is not a character (the text is not valid UTF-16)",
                _ => null,
            };
            if (problem is not null)
            {
                throw Error(i, problem);
            }
        }
    }

    private SpecNode ReadDocument()
    {
        SkipBlankLines();
        if (At(_pos) == '%')
        {
            throw Error(_pos, "directives (%YAML, %TAG) are not supported; remove the line");
        }

        if (IsMarker(_pos, '-'))
        {
            _pos += 3;
            SkipSpaces();
            if (!IsBreakOrEnd(_pos) && At(_pos) != '#')
            {
                throw Error(_pos, "content on the '---' line is not supported; start the document on the line after it");
            }

            FinishLine();
            SkipBlankLines();
        }

        SpecNode root;
        if (IsEnd(_pos) || IsMarker(_pos, '-') || IsMarker(_pos, '.'))
        {
            var (line, column) = Position(_pos);
            root = SpecScalar.Null(line, column);
        }
        else
        {
            root = ParseBlockNodeOnNewLine(-1);
            SkipBlankLines();
        }

        if (IsMarker(_pos, '.'))
        {
            _pos += 3;
            FinishLine();
            SkipBlankLines();
            if (!IsEnd(_pos))
            {
                throw Error(_pos + Indent(_pos), "only one document is supported: nothing may follow the end marker '...'");
            }
        }

        if (IsMarker(_pos, '-'))
        {
            throw Error(_pos, "only one document is supported: a spec cannot have a second '---'");
        }

        if (!IsEnd(_pos))
        {
            throw Error(_pos + Indent(_pos), "unexpected content at this indentation; check the indentation of this line and the ones above");
        }

        return root;
    }

    /// <summary>Parses the node whose first line starts at <see cref="_pos"/> (a line start), indented more than <paramref name="parentIndent"/>.</summary>
    private SpecNode ParseBlockNodeOnNewLine(int parentIndent)
    {
        int indent = Indent(_pos);
        _pos += indent;
        if (IsSequenceIndicator(_pos))
        {
            return ParseBlockSequence(indent);
        }

        if (LooksLikeImplicitKey(_pos))
        {
            return ParseBlockMapping(indent);
        }

        var node = ParseInlineNode(parentIndent);
        FinishLine();
        return node;
    }

    private SpecMapping ParseBlockMapping(int indent)
    {
        var (line, column) = Position(_pos);
        Enter(_pos);
        var entries = new List<KeyValuePair<SpecScalar, SpecNode>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            int keyStart = _pos;
            var key = ParseImplicitKey();
            if (!keys.Add(key.KeyIdentity))
            {
                throw Error(keyStart, $"duplicate key {Quote(key.Text)}");
            }

            entries.Add(new(key, ParseMappingValue(indent)));
            SkipBlankLines();
            if (IsEnd(_pos))
            {
                break;
            }

            int next = Indent(_pos);
            int content = _pos + next;
            if (next < indent || IsMarker(content, '-') || IsMarker(content, '.'))
            {
                break;
            }

            if (next > indent)
            {
                throw Error(content, $"this line is indented more than the keys of its mapping (column {indent + 1}); check its indentation");
            }

            if (IsSequenceIndicator(content))
            {
                throw Error(content, "a sequence entry ('- ') cannot follow a key whose value is already given; check the indentation");
            }

            if (!LooksLikeImplicitKey(content))
            {
                throw Error(content, "expected a key ('key: value') at this indentation");
            }

            _pos = content;
        }

        _depth--;
        return new SpecMapping(line, column, entries);
    }

    /// <summary>Parses the value after a block mapping key's ':' (at <see cref="_pos"/>), on the same line or below.</summary>
    private SpecNode ParseMappingValue(int indent)
    {
        int colon = _pos - 1;
        SkipSpaces();
        if (IsBreakOrEnd(_pos) || At(_pos) == '#')
        {
            FinishLine();
            SkipBlankLines();
            if (!IsEnd(_pos))
            {
                int next = Indent(_pos);
                int content = _pos + next;
                if (!IsMarker(content, '-') && !IsMarker(content, '.'))
                {
                    if (next > indent)
                    {
                        return ParseBlockNodeOnNewLine(indent);
                    }

                    if (next == indent && IsSequenceIndicator(content))
                    {
                        // A sequence may sit at its key's indentation.
                        _pos = content;
                        return ParseBlockSequence(indent);
                    }
                }
            }

            var (line, column) = Position(colon);
            return SpecScalar.Null(line, column);
        }

        if (IsSequenceIndicator(_pos))
        {
            throw Error(_pos, "a block sequence cannot start on the line of its key; start it on the next line");
        }

        if (LooksLikeImplicitKey(_pos))
        {
            throw Error(_pos, "a mapping cannot start on the line of its key; start it on the next line, indented (or quote the value if it contains ': ')");
        }

        var node = ParseInlineNode(indent);
        FinishLine();
        return node;
    }

    private SpecSequence ParseBlockSequence(int indent)
    {
        var (line, column) = Position(_pos);
        Enter(_pos);
        var items = new List<SpecNode>();
        while (true)
        {
            int dash = _pos;
            _pos++;
            SkipSpaces();
            SpecNode item;
            if (IsBreakOrEnd(_pos) || At(_pos) == '#')
            {
                FinishLine();
                SkipBlankLines();
                int content = _pos + (IsEnd(_pos) ? 0 : Indent(_pos));
                if (!IsEnd(_pos) && content - _pos > indent && !IsMarker(content, '-') && !IsMarker(content, '.'))
                {
                    item = ParseBlockNodeOnNewLine(indent);
                }
                else
                {
                    var (itemLine, itemColumn) = Position(dash);
                    item = SpecScalar.Null(itemLine, itemColumn);
                }
            }
            else if (IsSequenceIndicator(_pos))
            {
                item = ParseBlockSequence(ColumnOf(_pos));
            }
            else if (LooksLikeImplicitKey(_pos))
            {
                item = ParseBlockMapping(ColumnOf(_pos));
            }
            else
            {
                item = ParseInlineNode(indent);
                FinishLine();
            }

            items.Add(item);
            SkipBlankLines();
            if (IsEnd(_pos))
            {
                break;
            }

            int next = Indent(_pos);
            int nextContent = _pos + next;
            if (next < indent || IsMarker(nextContent, '-') || IsMarker(nextContent, '.'))
            {
                break;
            }

            if (next > indent)
            {
                throw Error(nextContent, $"this line is indented more than the entries ('- ') of its sequence (column {indent + 1}); check its indentation");
            }

            if (!IsSequenceIndicator(nextContent))
            {
                break;
            }

            _pos = nextContent;
        }

        _depth--;
        return new SpecSequence(line, column, items);
    }

    /// <summary>Parses a block mapping key and its ':'; <see cref="LooksLikeImplicitKey"/> said one is here.</summary>
    private SpecScalar ParseImplicitKey()
    {
        int start = _pos;
        SpecScalar key;
        if (At(_pos) is '"' or '\'')
        {
            key = ParseQuoted(int.MaxValue);
        }
        else
        {
            int end = PlainLineEnd(_pos, flow: false);
            var (line, column) = Position(_pos);
            key = YamlCoreSchema.Resolve(_text[_pos..end], line, column);
            _pos = end;
        }

        if (_pos - start > 1024)
        {
            throw Error(start, "a key may be at most 1,024 characters long");
        }

        SkipSpaces();
        _pos++;
        return key;
    }

    /// <summary>Whether a single-line scalar followed by ': ' (or ':' at the line end) starts at <paramref name="p"/>.</summary>
    private bool LooksLikeImplicitKey(int p)
    {
        int end;
        if (At(p) is '"' or '\'')
        {
            end = QuotedEndOnLine(p);
            if (end < 0)
            {
                return false;
            }
        }
        else if (IsPlainStart(p, flow: false))
        {
            end = PlainLineEnd(p, flow: false);
        }
        else
        {
            return false;
        }

        while (At(end) == ' ')
        {
            end++;
        }

        return At(end) == ':' && IsBlankOrEnd(end + 1);
    }

    /// <summary>The index after the closing quote of a quoted scalar that starts and ends on this line, or −1.</summary>
    private int QuotedEndOnLine(int p)
    {
        char quote = _text[p];
        for (int i = p + 1; !IsBreakOrEnd(i); i++)
        {
            char c = _text[i];
            if (quote == '"' && c == '\\')
            {
                if (IsBreakOrEnd(i + 1))
                {
                    return -1;
                }

                i++;
            }
            else if (c == quote)
            {
                if (quote == '\'' && At(i + 1) == '\'')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>A scalar or flow collection in block context, starting on the current line.</summary>
    private SpecNode ParseInlineNode(int parentIndent)
    {
        char c = At(_pos);
        switch (c)
        {
            case '[':
                return ParseFlowSequence(parentIndent);
            case '{':
                return ParseFlowMapping(parentIndent);
            case '"' or '\'':
                return ParseQuoted(parentIndent);
        }

        RejectIndicator(_pos);
        if (IsPlainStart(_pos, flow: false))
        {
            return ParsePlainScalar(parentIndent, flow: false);
        }

        throw Error(_pos, $"'{c}' cannot start a value; quote the value");
    }

    private SpecNode ParseFlowNode(int parentIndent)
    {
        char c = At(_pos);
        switch (c)
        {
            case '[':
                return ParseFlowSequence(parentIndent);
            case '{':
                return ParseFlowMapping(parentIndent);
            case '"' or '\'':
                return ParseQuoted(parentIndent);
        }

        RejectIndicator(_pos);
        if (IsPlainStart(_pos, flow: true))
        {
            return ParsePlainScalar(parentIndent, flow: true);
        }

        throw Error(_pos, $"'{c}' cannot start a value here; quote the value");
    }

    /// <summary>Fails on the YAML features outside the subset, where a node would start.</summary>
    private void RejectIndicator(int p)
    {
        string? problem = At(p) switch
        {
            '&' => "anchors ('&name') are not supported; write the value out again",
            '*' => "aliases ('*name') are not supported; write the value out again",
            '!' => "tags ('!tag') are not supported; the core schema types values by their form",
            '|' or '>' => "block scalars ('|' and '>') are not supported; use a quoted scalar with \\n escapes",
            '?' when IsBlankOrEnd(p + 1) => "explicit keys ('? ') are not supported; write 'key: value'",
            ':' when IsBlankOrEnd(p + 1) => "a ':' without a key before it",
            '%' => "'%' cannot start a value (it starts directives); quote the value",
            '@' or '`' => $"'{At(p)}' is reserved by YAML and cannot start a value; quote the value",
            _ => null,
        };
        if (problem is not null)
        {
            throw Error(p, problem);
        }
    }

    private SpecSequence ParseFlowSequence(int parentIndent)
    {
        int open = _pos;
        var (line, column) = Position(open);
        Enter(open);
        _pos++;
        var items = new List<SpecNode>();
        while (true)
        {
            SkipFlowSpace(parentIndent, open);
            if (At(_pos) == ']')
            {
                _pos++;
                break;
            }

            if (At(_pos) == ',')
            {
                throw Error(_pos, "expected a value before ','");
            }

            items.Add(ParseFlowNode(parentIndent));
            SkipFlowSpace(parentIndent, open);
            char c = At(_pos);
            if (c == ',')
            {
                _pos++;
                continue;
            }

            if (c == ']')
            {
                _pos++;
                break;
            }

            throw Error(_pos, c == ':'
                ? "'key: value' pairs inside [ ] are not supported; use { } for a mapping"
                : "expected ',' or ']' in a flow sequence");
        }

        _depth--;
        return new SpecSequence(line, column, items);
    }

    private SpecMapping ParseFlowMapping(int parentIndent)
    {
        int open = _pos;
        var (line, column) = Position(open);
        Enter(open);
        _pos++;
        var entries = new List<KeyValuePair<SpecScalar, SpecNode>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            SkipFlowSpace(parentIndent, open);
            char c = At(_pos);
            if (c == '}')
            {
                _pos++;
                break;
            }

            if (c == ',')
            {
                throw Error(_pos, "expected a key before ','");
            }

            if (c is '[' or '{')
            {
                throw Error(_pos, "a key must be a scalar; collections as keys are not supported");
            }

            int keyStart = _pos;
            var key = (SpecScalar)ParseFlowNode(parentIndent);
            if (LineOf(_pos) != LineOf(keyStart))
            {
                throw Error(keyStart, "a key must be on one line");
            }

            SkipSpaces();
            if (At(_pos) != ':')
            {
                throw Error(_pos, "expected ':' after the key; every entry of { } needs 'key: value'");
            }

            if (!keys.Add(key.KeyIdentity))
            {
                throw Error(keyStart, $"duplicate key {Quote(key.Text)}");
            }

            int colon = _pos++;
            SkipFlowSpace(parentIndent, open);
            SpecNode value;
            if (At(_pos) is ',' or '}')
            {
                var (valueLine, valueColumn) = Position(colon);
                value = SpecScalar.Null(valueLine, valueColumn);
            }
            else
            {
                value = ParseFlowNode(parentIndent);
            }

            entries.Add(new(key, value));
            SkipFlowSpace(parentIndent, open);
            c = At(_pos);
            if (c == ',')
            {
                _pos++;
                continue;
            }

            if (c == '}')
            {
                _pos++;
                break;
            }

            throw Error(_pos, "expected ',' or '}' in a flow mapping");
        }

        _depth--;
        return new SpecMapping(line, column, entries);
    }

    /// <summary>Skips spaces, line breaks and comments inside a flow collection; fails at its end if it was never closed.</summary>
    private void SkipFlowSpace(int parentIndent, int open)
    {
        while (true)
        {
            char c = At(_pos);
            if (c == ' ')
            {
                _pos++;
            }
            else if (c == '\t')
            {
                throw Error(_pos, TabMessage);
            }
            else if (c == '#' && (ColumnOf(_pos) == 0 || _text[_pos - 1] == ' '))
            {
                _pos = LineEnd(_pos);
            }
            else if (c == '\n')
            {
                _pos++;
                int content = _pos;
                while (At(content) == ' ')
                {
                    content++;
                }

                if (At(content) == '\t')
                {
                    throw Error(content, TabMessage);
                }

                if (!IsBreakOrEnd(content) && At(content) != '#')
                {
                    if (IsMarker(content, '-') || IsMarker(content, '.'))
                    {
                        throw Error(content, $"a document marker inside the flow collection opened at {Where(open)}; is a ']' or '}}' missing?");
                    }

                    if (content - _pos <= parentIndent)
                    {
                        throw Error(content, $"lines inside a flow collection must be indented more than its parent (at least {parentIndent + 1} spaces)");
                    }
                }

                _pos = content;
            }
            else if (IsEnd(_pos))
            {
                throw Error(_pos, $"the flow collection opened at {Where(open)} is never closed");
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>A plain scalar, folded over its continuation lines (indented more than <paramref name="parentIndent"/>).</summary>
    private SpecScalar ParsePlainScalar(int parentIndent, bool flow)
    {
        var (line, column) = Position(_pos);
        int end = PlainLineEnd(_pos, flow);
        string first = _text[_pos..end];
        _pos = end;
        StringBuilder? folded = null;
        while (true)
        {
            int lineEnd = _pos;
            while (At(lineEnd) == ' ')
            {
                lineEnd++;
            }

            if (At(lineEnd) != '\n')
            {
                break;
            }

            // Look past empty lines for a continuation line.
            int breaks = 0;
            int lineStart = lineEnd + 1;
            int content = -1;
            while (!IsEnd(lineStart))
            {
                int r = lineStart;
                while (At(r) == ' ')
                {
                    r++;
                }

                if (At(r) == '\t')
                {
                    throw Error(r, TabMessage);
                }

                if (At(r) == '\n')
                {
                    breaks++;
                    lineStart = r + 1;
                    continue;
                }

                if (!IsEnd(r))
                {
                    content = r;
                }

                break;
            }

            if (content < 0 || content - lineStart <= parentIndent || At(content) == '#' || IsMarker(content, '-') || IsMarker(content, '.'))
            {
                break;
            }

            int segmentEnd = PlainLineEnd(content, flow);
            if (segmentEnd == content)
            {
                break;
            }

            folded ??= new StringBuilder(first);
            if (breaks == 0)
            {
                folded.Append(' ');
            }
            else
            {
                folded.Append('\n', breaks);
            }

            folded.Append(_text, content, segmentEnd - content);
            _pos = segmentEnd;
        }

        return YamlCoreSchema.Resolve(folded?.ToString() ?? first, line, column);
    }

    /// <summary>Where a plain scalar's text on this line ends: before ': ', ' #', the line end or (in flow) an indicator; trailing spaces excluded.</summary>
    private int PlainLineEnd(int p, bool flow)
    {
        int i = p;
        while (!IsBreakOrEnd(i))
        {
            char c = _text[i];
            if (c == '\t')
            {
                throw Error(i, TabMessage);
            }

            if ((c == ':' && (IsBlankOrEnd(i + 1) || (flow && FlowIndicators.Contains(At(i + 1)))))
                || (flow && FlowIndicators.Contains(c))
                || (c == '#' && i > p && _text[i - 1] == ' '))
            {
                break;
            }

            i++;
        }

        while (i > p && _text[i - 1] == ' ')
        {
            i--;
        }

        return i;
    }

    private bool IsPlainStart(int p, bool flow)
    {
        char c = At(p);
        if (IsBlankOrEnd(p))
        {
            return false;
        }

        if (c is '-' or '?' or ':')
        {
            return !IsBlankOrEnd(p + 1) && !(flow && FlowIndicators.Contains(At(p + 1)));
        }

        return !"-?:,[]{}#&*!|>'\"%@`".Contains(c);
    }

    /// <summary>A single- or double-quoted scalar at <see cref="_pos"/>; continuation lines must be indented more than <paramref name="parentIndent"/>.</summary>
    private SpecScalar ParseQuoted(int parentIndent)
    {
        int start = _pos;
        var (line, column) = Position(start);
        bool isDouble = _text[start] == '"';
        var value = new StringBuilder();
        int i = start + 1;
        while (true)
        {
            if (IsEnd(i))
            {
                throw Error(start, $"the {(isDouble ? "double" : "single")}-quoted scalar is never closed");
            }

            char c = _text[i];
            if (isDouble && c == '"')
            {
                i++;
                break;
            }

            if (!isDouble && c == '\'')
            {
                if (At(i + 1) == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            if (isDouble && c == '\\')
            {
                i = At(i + 1) == '\n'
                    ? FoldLines(i + 2, value, escapedBreak: true, parentIndent, start)
                    : ReadEscape(i, value);
                continue;
            }

            if (c is ' ' or '\t')
            {
                int j = i;
                while (At(j) is ' ' or '\t')
                {
                    j++;
                }

                // White space before a line break is not content.
                if (At(j) != '\n')
                {
                    value.Append(_text, i, j - i);
                }

                i = j;
                continue;
            }

            if (c == '\n')
            {
                i = FoldLines(i + 1, value, escapedBreak: false, parentIndent, start);
                continue;
            }

            value.Append(c);
            i++;
        }

        _pos = i;
        return SpecScalar.String(line, column, value.ToString());
    }

    /// <summary>
    /// Folds the line breaks of a quoted scalar from line start <paramref name="i"/>: a single break reads as a space, each
    /// empty line as a newline; after an escaped break only the empty lines count. Returns the index of the next content.
    /// </summary>
    private int FoldLines(int i, StringBuilder value, bool escapedBreak, int parentIndent, int start)
    {
        int breaks = 0;
        while (true)
        {
            if (IsMarker(i, '-') || IsMarker(i, '.'))
            {
                throw Error(i, $"a document marker inside the quoted scalar opened at {Where(start)}; is a closing quote missing?");
            }

            int j = i;
            while (At(j) == ' ')
            {
                j++;
            }

            int spaces = j - i;
            while (At(j) is ' ' or '\t')
            {
                j++;
            }

            if (IsEnd(j))
            {
                throw Error(start, $"the {(_text[start] == '"' ? "double" : "single")}-quoted scalar is never closed");
            }

            if (_text[j] == '\n')
            {
                breaks++;
                i = j + 1;
                continue;
            }

            if (spaces <= parentIndent)
            {
                throw Error(i + spaces, $"the continuation lines of a quoted scalar must be indented more than its parent (at least {parentIndent + 1} spaces)");
            }

            if (breaks > 0)
            {
                value.Append('\n', breaks);
            }
            else if (!escapedBreak)
            {
                value.Append(' ');
            }

            return j;
        }
    }

    /// <summary>Decodes the escape at <paramref name="i"/> (a backslash) into <paramref name="value"/>; returns the index after it.</summary>
    private int ReadEscape(int i, StringBuilder value)
    {
        char e = At(i + 1);
        string? simple = e switch
        {
            '0' => "\0",
            'a' => "\a",
            'b' => "\b",
            't' or '\t' => "\t",
            'n' => "\n",
            'v' => "\v",
            'f' => "\f",
            'r' => "\r",
            'e' => "\u001B",
            ' ' => " ",
            '"' => "\"",
            '/' => "/",
            '\\' => "\\",
            'N' => "\u0085",
            '_' => "\u00A0",
            'L' => "\u2028",
            'P' => "\u2029",
            _ => null,
        };
        if (simple is not null)
        {
            value.Append(simple);
            return i + 2;
        }

        int digits = e switch
        {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => throw Error(i, IsEnd(i + 1) ? "the double-quoted scalar is never closed" : $"unknown escape '\\{e}'"),
        };
        int codePoint = 0;
        for (int k = 0; k < digits; k++)
        {
            char h = At(i + 2 + k);
            if (!char.IsAsciiHexDigit(h))
            {
                throw Error(i, $"the escape '\\{e}' needs {digits} hexadecimal digits");
            }

            codePoint = (codePoint << 4) | (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }

        if (codePoint is < 0 or > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        {
            throw Error(i, string.Create(CultureInfo.InvariantCulture, $"the escape '\\{e}{_text.AsSpan(i + 2, digits)}' is not a Unicode character (surrogates and values above 10FFFF are not)"));
        }

        value.Append(char.ConvertFromUtf32(codePoint));
        return i + 2 + digits;
    }

    /// <summary>Ends the current line: spaces, an optional comment, then the line break (or the end).</summary>
    private void FinishLine()
    {
        SkipSpaces();
        if (IsEnd(_pos))
        {
            return;
        }

        char c = _text[_pos];
        if (c == '\n')
        {
            _pos++;
            return;
        }

        if (c == '#')
        {
            if (ColumnOf(_pos) == 0 || _text[_pos - 1] == ' ')
            {
                _pos = LineEnd(_pos);
                if (!IsEnd(_pos))
                {
                    _pos++;
                }

                return;
            }

            throw Error(_pos, "a comment needs a space before its '#'");
        }

        throw Error(_pos, c == ':'
            ? "unexpected ':'; a key must be a scalar on one line, and a value containing ': ' must be quoted"
            : "unexpected text after the value; quote the value if it belongs to it");
    }

    /// <summary>From a line start, skips lines that are empty or hold only a comment; stays at the start of the next content line.</summary>
    private void SkipBlankLines()
    {
        while (true)
        {
            int p = _pos;
            while (At(p) == ' ')
            {
                p++;
            }

            if (At(p) == '\t')
            {
                throw Error(p, TabMessage);
            }

            if (IsEnd(p))
            {
                _pos = p;
                return;
            }

            if (_text[p] == '\n')
            {
                _pos = p + 1;
            }
            else if (_text[p] == '#')
            {
                _pos = LineEnd(p);
                if (!IsEnd(_pos))
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void SkipSpaces()
    {
        while (At(_pos) == ' ')
        {
            _pos++;
        }

        if (At(_pos) == '\t')
        {
            throw Error(_pos, TabMessage);
        }
    }

    private void Enter(int p)
    {
        if (++_depth > ExperimentSpecLimits.MaxNestingDepth)
        {
            throw Error(p, $"mappings and sequences nest deeper than {ExperimentSpecLimits.MaxNestingDepth} levels");
        }
    }

    /// <summary>Spaces at the start of the line beginning at <paramref name="lineStart"/>.</summary>
    private int Indent(int lineStart)
    {
        int p = lineStart;
        while (At(p) == ' ')
        {
            p++;
        }

        return p - lineStart;
    }

    private bool IsSequenceIndicator(int p) => At(p) == '-' && IsBlankOrEnd(p + 1);

    /// <summary>A document marker (<c>---</c> or <c>...</c>) at the start of a line.</summary>
    private bool IsMarker(int p, char c) =>
        p + 3 <= _text.Length && ColumnOf(p) == 0 && _text[p] == c && _text[p + 1] == c && _text[p + 2] == c && IsBlankOrEnd(p + 3);

    /// <summary>The character at <paramref name="p"/>, or '\0' past the end (validated text holds no NUL).</summary>
    private char At(int p) => p < _text.Length ? _text[p] : '\0';

    private bool IsEnd(int p) => p >= _text.Length;

    private bool IsBreakOrEnd(int p) => p >= _text.Length || _text[p] == '\n';

    private bool IsBlankOrEnd(int p) => IsBreakOrEnd(p) || _text[p] is ' ' or '\t';

    private int LineEnd(int p)
    {
        int end = _text.IndexOf('\n', p);
        return end < 0 ? _text.Length : end;
    }

    /// <summary>0-based line of <paramref name="p"/>.</summary>
    private int LineOf(int p)
    {
        int index = _lineStarts.BinarySearch(p);
        return index >= 0 ? index : ~index - 1;
    }

    private int ColumnOf(int p) => p - _lineStarts[LineOf(p)];

    private (int Line, int Column) Position(int p) => (LineOf(p) + 1, ColumnOf(p) + 1);

    private string Where(int p)
    {
        var (line, column) = Position(p);
        return string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}");
    }

    private SpecSyntaxException Error(int p, string reason)
    {
        var (line, column) = Position(Math.Min(p, _text.Length));
        return new SpecSyntaxException(line, column, reason);
    }

    private static string Quote(string text) => "'" + (text.Length <= 60 ? text : text[..57] + "...") + "'";
}
