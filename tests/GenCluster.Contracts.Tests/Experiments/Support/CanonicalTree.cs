using System.Globalization;
using System.Text.Json.Nodes;
using GenCluster.Contracts.Experiments.Documents;

namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>
/// The canonical form tests/peers/yaml_peer.py writes (see its docstring): typed scalars, integers as decimal text,
/// doubles as their 16 hex digits of IEEE bits, mappings as ordered pairs. Built here from our reader's nodes.
/// </summary>
internal static class CanonicalTree
{
    public static JsonNode Of(SpecNode node) => node switch
    {
        SpecMapping mapping => new JsonArray("map", new JsonArray(mapping.Entries.Select(e => (JsonNode)new JsonArray(Of(e.Key), Of(e.Value))).ToArray())),
        SpecSequence sequence => new JsonArray("seq", new JsonArray(sequence.Items.Select(Of).ToArray())),
        SpecScalar scalar => scalar.Kind switch
        {
            ScalarKind.Null => new JsonArray("null"),
            ScalarKind.Bool => new JsonArray("bool", scalar.Bool),
            ScalarKind.Int => new JsonArray("int", scalar.Int.ToString(CultureInfo.InvariantCulture)),
            ScalarKind.Float => new JsonArray("float", double.IsNaN(scalar.Float) ? "nan" : BitConverter.DoubleToInt64Bits(scalar.Float).ToString("x16", CultureInfo.InvariantCulture)),
            _ => new JsonArray("str", scalar.Text),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };
}
