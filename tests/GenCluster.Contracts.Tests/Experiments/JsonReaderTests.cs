using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Json;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

public sealed class JsonReaderTests
{
    [Theory]
    [InlineData("{\"a\": 1,}", 1, 9, "not valid JSON")]
    [InlineData("{\"a\": 1 // comment\n}", 1, 9, "not valid JSON")]
    [InlineData("{'a': 1}", 1, 2, "not valid JSON")]
    [InlineData("{\"a\": NaN}", 1, 7, "not valid JSON")]
    [InlineData("{\"é\": 1,}", 1, 9, "not valid JSON")]
    [InlineData("{\n  \"a\": 1,\n  \"a\": 2\n}", 3, 3, "duplicate key 'a'")]
    [InlineData("{\"a\": 9223372036854775808}", 1, 7, "does not fit in 64 bits")]
    [InlineData("{\"a\": 1e400}", 1, 7, "out of the range of a double")]
    [InlineData("{\"a\": \"\\ud800\"}", 1, 7, "not valid Unicode")]
    [InlineData("", 1, 1, "not valid JSON")]
    [InlineData("{} {}", 1, 4, "not valid JSON")]
    [InlineData("{\"a\": \"x\ty\"}", 1, 9, "not valid JSON")]
    public void Malformed_json_fails_with_line_and_column(string json, int line, int column, string reason)
    {
        var read = () => JsonSpecReader.Read(json);

        var error = read.Should().Throw<SpecSyntaxException>().Which;
        error.Reason.Should().Contain(reason);
        (error.Line, error.Column).Should().Be((line, column), error.Message);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var read = () => JsonSpecReader.Read(new string('[', 65) + new string(']', 65));

        read.Should().Throw<SpecSyntaxException>().Which.Reason.Should().Contain("depth");
    }

    [Fact]
    public void A_lone_surrogate_in_the_text_is_refused_not_replaced()
    {
        var read = () => JsonSpecReader.Read("{\"a\": \"x\ud800\"}");

        var error = read.Should().Throw<SpecSyntaxException>().Which;
        (error.Line, error.Column).Should().Be((1, 9));
    }

    [Fact]
    public void Values_keep_their_json_types_and_positions()
    {
        var root = (SpecMapping)JsonSpecReader.Read("\uFEFF{\"i\": -3, \"f\": 2.50, \"e\": 1E-8, \"b\": true, \"n\": null,\n \"s\": \"é\\n\", \"l\": []}");

        CanonicalTree.Of(root).ToJsonString().Should().Be(
            """["map",[[["str","i"],["int","-3"]],[["str","f"],["float","4004000000000000"]],[["str","e"],["float","3e45798ee2308c3a"]],[["str","b"],["bool",true]],[["str","n"],["null"]],[["str","s"],["str","\u00E9\n"]],[["str","l"],["seq",[]]]]]""");
        var s = root.Entries[5];
        (s.Key.Line, s.Key.Column, s.Value.Line, s.Value.Column).Should().Be((2, 2, 2, 7));
    }

    [Fact]
    public void The_loader_reports_json_errors_as_spec_errors()
    {
        var error = SpecAssertions.Rejected("{\n  \"name\": \"x\",\n  \"model\": {\"family\": \"dcgan\"},\n}", ExperimentSpecFormat.Json).Should().ContainSingle().Which;

        error.Path.Should().BeEmpty();
        (error.Line, error.Column).Should().Be((4, 1));
    }
}
