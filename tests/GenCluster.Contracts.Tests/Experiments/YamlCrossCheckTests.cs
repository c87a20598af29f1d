using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Yaml;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>
/// Our YAML reader against PyYAML (Debian's python3-yaml, through tests/peers/yaml_peer.py) on random documents inside
/// the subset: both must read every document to the same typed tree, scalar by scalar, bit for bit.
/// </summary>
public sealed class YamlCrossCheckTests
{
    private const int Documents = 1_500;

    [Fact]
    public void Our_reader_and_PyYAML_read_random_documents_in_the_subset_identically()
    {
        var generator = new YamlDocumentGenerator(seed: 20_240_601);
        var documents = Enumerable.Range(0, Documents).Select(_ => generator.Next()).ToList();

        var expected = RunPeer(documents);

        expected.Should().HaveCount(Documents);
        var mismatches = new List<string>();
        for (int i = 0; i < documents.Count; i++)
        {
            var reference = expected[i]!.AsObject();
            reference.ContainsKey("error").Should().BeFalse($"the generator must write valid YAML, but PyYAML says {reference["error"]} about:\n{documents[i]}");

            string ours;
            try
            {
                ours = CanonicalTree.Of(YamlReader.Read(documents[i])).ToJsonString();
            }
            catch (SpecSyntaxException e)
            {
                ours = "error: " + e.Message;
            }

            if (!JsonNode.DeepEquals(JsonNode.Parse(ours.StartsWith("error", StringComparison.Ordinal) ? "null" : ours), reference["ok"]))
            {
                mismatches.Add($"document {i}:\n{documents[i]}\nPyYAML: {reference["ok"]!.ToJsonString()}\nours:   {ours}");
            }
        }

        mismatches.Should().BeEmpty("every document must read the same:\n" + string.Join("\n\n", mismatches.Take(5)));
    }

    [Fact]
    public void The_random_documents_cover_the_subset()
    {
        var generator = new YamlDocumentGenerator(seed: 20_240_601);
        string all = string.Concat(Enumerable.Range(0, Documents).Select(_ => generator.Next()));

        // A generator that stopped producing a construct would let the cross-check pass without testing it.
        foreach (var construct in new[] { "---\n", "...\n", "- - ", ":\n- ", "[", "{", "''", "\\U0001F600", "\\\n", "# ", ".nan", "0o17", "0x1F", "yes", "1_000" })
        {
            all.Should().Contain(construct);
        }
    }

    [Fact]
    public void The_peer_applies_the_yaml_1_2_core_schema_not_pyyamls_1_1_resolver()
    {
        // The same checks the cross-check relies on, stated on their own: in YAML 1.2 these are strings or decimal.
        var result = RunPeer(["[yes, on, 1_000, 1:30, 017, 0o17, 1e3, 2001-12-14]"])[0]!["ok"]!.ToJsonString();

        result.Should().Be("""["seq",[["str","yes"],["str","on"],["str","1_000"],["str","1:30"],["int","17"],["int","15"],["float","408f400000000000"],["str","2001-12-14"]]]""");
    }

    private static JsonArray RunPeer(IReadOnlyList<string> documents)
    {
        using var directory = new TemporaryDirectory("yaml-peer");
        string input = directory.File("documents.json");
        string output = directory.File("canonical.json");
        File.WriteAllText(input, JsonSerializer.Serialize(documents));

        PythonPeer.Run(PythonPeer.Script("yaml_peer.py"), TimeSpan.FromSeconds(120), input, output);

        return JsonNode.Parse(File.ReadAllText(output, Encoding.UTF8))!.AsArray();
    }
}
