using System.Text.Json;
using System.Text.Json.Nodes;
using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Yaml;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>
/// Text the YAML reader must refuse, with the line and column where the problem starts: malformed YAML (PyYAML refuses
/// it too) and valid YAML outside the subset (PyYAML reads it; we must refuse rather than misread it).
/// </summary>
public sealed class MalformedYamlTests
{
    /// <summary>(text, line, column, fragment of the reason, whether PyYAML reads it).</summary>
    private static readonly Dictionary<string, (string Text, int Line, int Column, string Reason, bool PyYamlReads)> s_corpus = new()
    {
        ["tab indentation"] = ("a:\n\tb: 1\n", 2, 1, "tab characters", false),
        ["tab after colon"] = ("a:\t1\n", 1, 3, "tab characters", false),
        ["tab inside a plain scalar"] = ("a: b\tc\n", 1, 5, "tab characters", false),
        ["tab on an empty line"] = ("a: 1\n \t\nb: 2\n", 2, 2, "tab characters", false),
        ["anchor"] = ("a: &x 1\nb: 2\n", 1, 4, "anchors", true),
        ["alias"] = ("a: 1\nb: *x\n", 2, 4, "aliases", false),
        ["core tag"] = ("a: !!str 1\n", 1, 4, "tags", true),
        ["local tag"] = ("- !point 1\n", 1, 3, "tags", true),
        ["literal block scalar"] = ("a: |\n  text\n", 1, 4, "block scalars", true),
        ["folded block scalar"] = ("a: >-\n  text\n", 1, 4, "block scalars", true),
        ["directive"] = ("%YAML 1.2\n---\na: 1\n", 1, 1, "directives", true),
        ["second document"] = ("a: 1\n---\nb: 2\n", 2, 1, "only one document", false),
        ["content after end marker"] = ("a: 1\n...\nb: 2\n", 3, 1, "only one document", false),
        ["content on the start marker line"] = ("--- a: 1\n", 1, 5, "start the document on the line after it", false),
        ["explicit key"] = ("? a\n: b\n", 1, 1, "explicit keys", true),
        ["duplicate key"] = ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a'", true),
        ["duplicate key differently quoted"] = ("a: 1\n\"a\": 2\n", 2, 1, "duplicate key 'a'", true),
        ["duplicate flow key"] = ("{a: 1, a: 2}\n", 1, 8, "duplicate key 'a'", true),
        ["unclosed flow sequence"] = ("a: [1, 2\n", 2, 1, "opened at line 1, column 4 is never closed", false),
        ["unclosed flow mapping"] = ("{a: 1", 1, 6, "opened at line 1, column 1 is never closed", false),
        ["unclosed double quote"] = ("a: \"abc\n", 1, 4, "double-quoted scalar is never closed", false),
        ["unclosed single quote"] = ("a: 'abc", 1, 4, "single-quoted scalar is never closed", false),
        ["line indented past its siblings"] = ("a:\n  b: [1]\n   c: 2\n", 3, 4, "indented more than the keys of its mapping", false),
        ["plain scalar running into a key"] = ("a:\n  b: 1\n   c: 2\n", 3, 5, "unexpected ':'", false),
        ["sequence entry after a value"] = ("a: 1\n- b\n", 2, 1, "cannot follow a key whose value is already given", false),
        ["sequence on the key line"] = ("a: - b\n", 1, 4, "cannot start on the line of its key", false),
        ["mapping on the key line"] = ("a: b: c\n", 1, 4, "a mapping cannot start on the line of its key", false),
        ["line without a colon"] = ("a: 1\nb\n", 2, 1, "expected a key", false),
        ["pair inside brackets"] = ("[a: 1]\n", 1, 3, "pairs inside [ ] are not supported", true),
        ["flow key without value"] = ("{a, b: 1}\n", 1, 3, "expected ':' after the key", true),
        ["collection as flow key"] = ("{[a]: 1}\n", 1, 2, "collections as keys are not supported", true),
        ["collection as block key"] = ("[a]: 1\n", 1, 4, "unexpected ':'", true),
        ["multi-line quoted key"] = ("\"a\n b\": 1\n", 2, 4, "unexpected ':'", false),
        ["key over 1024 characters"] = (new string('k', 1025) + ": 1\n", 1, 1, "at most 1,024 characters", false),
        ["control character"] = ("a: b\u0001\n", 1, 5, "control character U+0001", false),
        ["next line character"] = ("a: b\u0085c\n", 1, 5, "U+0085", false),
        ["line separator"] = ("a: b\u2028c\n", 1, 5, "U+2028", false),
        ["byte order mark inside"] = ("a: b\uFEFF\n", 1, 5, "byte order mark", true),
        ["unknown escape"] = ("a: \"\\q\"\n", 1, 5, "unknown escape '\\q'", false),
        ["short hex escape"] = ("a: \"\\x4g\"\n", 1, 5, "needs 2 hexadecimal digits", false),
        ["surrogate escape"] = ("a: \"\\ud800\"\n", 1, 5, "is not a Unicode character", true),
        ["escape beyond Unicode"] = ("a: \"\\U00110000\"\n", 1, 5, "is not a Unicode character", false),
        ["nesting too deep"] = (new string('[', 65) + new string(']', 65) + "\n", 1, 65, "deeper than 64 levels", true),
        ["integer beyond 64 bits"] = ("a: 9223372036854775808\n", 1, 4, "does not fit in 64 bits", true),
        ["hex integer beyond 64 bits"] = ("- 1\n- 0x8000000000000000\n", 2, 3, "does not fit in 64 bits", true),
        ["comment glued to a value"] = ("a: \"x\"#c\n", 1, 7, "comment needs a space", true),
        ["text after a quoted value"] = ("a: \"x\" y\n", 1, 8, "unexpected text after the value", false),
        ["document marker inside brackets"] = ("a: [1,\n---\n]\n", 2, 1, "document marker inside the flow collection", false),
        ["flow line not indented past its parent"] = ("a:\n  b: [1,\n  2]\n", 3, 3, "indented more than its parent", true),
        ["quoted line not indented past its parent"] = ("a:\n  b: \"x\n  y\"\n", 3, 3, "continuation lines of a quoted scalar", true),
        ["at sign"] = ("a: @x\n", 1, 4, "reserved", false),
        ["backtick"] = ("a: `x\n", 1, 4, "reserved", false),
        ["percent in a value"] = ("a: %x\n", 1, 4, "starts directives", false),
        ["empty flow entry"] = ("[1,,2]\n", 1, 4, "expected a value before ','", false),
        ["missing comma between quoted items"] = ("[\"a\" \"b\"]\n", 1, 6, "expected ',' or ']'", false),
        ["missing comma in flow mapping"] = ("{a: 1 b: 2}\n", 1, 8, "expected ',' or '}'", false),
        ["closing bracket without opening"] = ("a: ]\n", 1, 4, "cannot start a value", false),
        ["value without key"] = (": x\n", 1, 1, "without a key", false),
    };

    public static TheoryData<string> Cases() => new(s_corpus.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_or_unsupported_yaml_fails_with_line_and_column(string name)
    {
        var (text, line, column, reason, _) = s_corpus[name];

        var read = () => YamlReader.Read(text);

        var error = read.Should().Throw<SpecSyntaxException>().Which;
        error.Reason.Should().Contain(reason);
        (error.Line, error.Column).Should().Be((line, column), error.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_loader_reports_it_as_a_spec_error_with_the_same_position(string name)
    {
        var (text, line, column, reason, _) = s_corpus[name];

        var load = () => ExperimentSpecLoader.Load(text, ExperimentSpecFormat.Yaml);

        var error = load.Should().Throw<ExperimentSpecException>().Which.Errors.Should().ContainSingle().Which;
        error.Should().Be(new SpecError(string.Empty, error.Message, line, column));
        error.Message.Should().Contain(reason);
    }

    [Fact]
    public void PyYAML_agrees_which_texts_are_malformed_and_which_are_valid_yaml_outside_the_subset()
    {
        var names = s_corpus.Keys.ToList();
        using var directory = new TemporaryDirectory("yaml-peer");
        File.WriteAllText(directory.File("in.json"), JsonSerializer.Serialize(names.Select(n => s_corpus[n].Text)));

        PythonPeer.Run(PythonPeer.Script("yaml_peer.py"), TimeSpan.FromSeconds(60), directory.File("in.json"), directory.File("out.json"));

        // The canonical tree of the 65-deep case nests deeper than System.Text.Json reads by default.
        var verdicts = JsonNode.Parse(File.ReadAllText(directory.File("out.json")), documentOptions: new JsonDocumentOptions { MaxDepth = 1_000 })!.AsArray();
        var disagreements = names
            .Where((name, i) => verdicts[i]!.AsObject().ContainsKey("ok") != s_corpus[name].PyYamlReads)
            .Select(name => $"{name}: PyYAML {(s_corpus[name].PyYamlReads ? "was expected to read it" : "was expected to refuse it")}")
            .ToList();
        disagreements.Should().BeEmpty();
    }

    [Fact]
    public void Positions_count_lines_after_crlf_and_a_leading_byte_order_mark()
    {
        var read = () => YamlReader.Read("\uFEFFa: 1\r\nb: 2\r\nc: &x 3\r\n");

        var error = read.Should().Throw<SpecSyntaxException>().Which;
        (error.Line, error.Column).Should().Be((3, 4));
    }
}
