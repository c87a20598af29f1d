using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Yaml;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>What the YAML subset means, case by case (the cross-check with PyYAML covers the same ground at random).</summary>
public sealed class YamlReaderTests
{
    [Theory]
    [InlineData("~", """["null"]""")]
    [InlineData("null", """["null"]""")]
    [InlineData("NULL", """["null"]""")]
    [InlineData("True", """["bool",true]""")]
    [InlineData("FALSE", """["bool",false]""")]
    [InlineData("yes", """["str","yes"]""")]
    [InlineData("off", """["str","off"]""")]
    [InlineData("017", """["int","17"]""")]
    [InlineData("+17", """["int","17"]""")]
    [InlineData("-0", """["int","0"]""")]
    [InlineData("0o17", """["int","15"]""")]
    [InlineData("0x1f", """["int","31"]""")]
    [InlineData("-0x1f", """["str","-0x1f"]""")]
    [InlineData("1_000", """["str","1_000"]""")]
    [InlineData("1:30", """["str","1:30"]""")]
    [InlineData("1.", """["float","3ff0000000000000"]""")]
    [InlineData(".5", """["float","3fe0000000000000"]""")]
    [InlineData("1e3", """["float","408f400000000000"]""")]
    [InlineData("-.INF", """["float","fff0000000000000"]""")]
    [InlineData(".NaN", """["float","nan"]""")]
    [InlineData("2001-12-14", """["str","2001-12-14"]""")]
    [InlineData("'017'", """["str","017"]""")]
    [InlineData("\"true\"", """["str","true"]""")]
    [InlineData("9223372036854775807", """["int","9223372036854775807"]""")]
    [InlineData("-9223372036854775808", """["int","-9223372036854775808"]""")]
    public void Plain_scalars_follow_the_yaml_1_2_core_schema_and_quoted_ones_are_strings(string yaml, string canonical)
    {
        CanonicalTree.Of(YamlReader.Read("v: " + yaml))[1]![0]![1]!.ToJsonString().Should().Be(canonical);
    }

    [Fact]
    public void Double_quoted_escapes_decode()
    {
        Scalar("\"\\x41\\u00e9\\U0001F600\\t\\n\\\\\\\"\\/\\0\\e\\_\\N\\L\\P\\ \"")
            .Should().Be("Aé😀\t\n\\\"/\0\u001B\u00A0\u0085\u2028\u2029 ");
        Scalar("'it''s \\n'").Should().Be("it's \\n", "single quotes only escape themselves");
    }

    [Fact]
    public void Line_breaks_fold_as_yaml_folds_them()
    {
        Scalar("plain\n  text  \n\n  goes on").Should().Be("plain text\ngoes on");
        Scalar("'single  \n   quoted'").Should().Be("single quoted");
        Scalar("\"double\\\n    joined \\\n  here\"").Should().Be("doublejoined here");
        Scalar("\"keeps\n\n\n  two\"").Should().Be("keeps\n\ntwo");
    }

    [Fact]
    public void Block_structures_nest_by_indentation()
    {
        const string yaml = """
            --- # a spec-like document
            list:
            - a
            - - b
              - c
            - k: 1
              j:
                - 2
            nested:
                deeper:
                  x: [1, {y: 2},
                      3,]   # a trailing comma
            empty:
            ...
            """;

        CanonicalTree.Of(YamlReader.Read(yaml)).ToJsonString().Should().Be(
            """["map",[[["str","list"],["seq",[["str","a"],["seq",[["str","b"],["str","c"]]],["map",[[["str","k"],["int","1"]],[["str","j"],["seq",[["int","2"]]]]]]]]],[["str","nested"],["map",[[["str","deeper"],["map",[[["str","x"],["seq",[["int","1"],["map",[[["str","y"],["int","2"]]]],["int","3"]]]]]]]]]],[["str","empty"],["null"]]]]""");
    }

    [Fact]
    public void Nodes_know_where_they_start()
    {
        var root = (SpecMapping)YamlReader.Read("# c\nname: x\nmodel:\n  family: 'dcgan'\nlist: [a, b]\n");

        var name = root.Entries[0];
        (name.Key.Line, name.Key.Column, name.Value.Line, name.Value.Column).Should().Be((2, 1, 2, 7));
        var model = (SpecMapping)root.Entries[1].Value;
        (model.Line, model.Column).Should().Be((4, 3));
        (model.Entries[0].Value.Line, model.Entries[0].Value.Column).Should().Be((4, 11));
        var list = (SpecSequence)root.Entries[2].Value;
        (list.Items[1].Line, list.Items[1].Column).Should().Be((5, 11));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("---\n...\n")]
    public void An_empty_document_is_null(string yaml)
    {
        YamlReader.Read(yaml).Should().BeOfType<SpecScalar>().Which.Kind.Should().Be(ScalarKind.Null);
    }

    private static string Scalar(string yaml) => ((SpecScalar)YamlReader.Read(yaml)).Text;
}
