using System.Text.Json;
using System.Text.Json.Nodes;
using GenCluster.Contracts.Experiments;

namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>
/// A valid spec as an editable JSON tree: tests set one field to a bad value (written as raw YAML/JSON text, so that
/// values JSON lacks, like <c>.nan</c>, can be used) or remove it, and load the result. JSON is also valid YAML
/// (flow style), so one document exercises both readers.
/// </summary>
internal sealed class SpecDocument
{
    private readonly JsonObject _root;
    private readonly Dictionary<string, string> _raw = [];

    public SpecDocument(ExperimentSpec? spec = null)
    {
        spec ??= ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan.yaml"));
        _root = JsonNode.Parse(ExperimentSpecWriter.ToJson(spec))!.AsObject();
    }

    /// <summary>Whether every raw value set is also valid JSON.</summary>
    public bool IsJson { get; private set; } = true;

    /// <summary>Sets the field at a dotted path (<c>model.generator.featureMaps</c>) to <paramref name="rawValue"/>, creating mappings on the way.</summary>
    public SpecDocument Set(string path, string rawValue)
    {
        var (parent, key) = Navigate(path);
        string token = $"@@raw{_raw.Count}@@";
        _raw[token] = rawValue;
        parent[key] = token;
        try
        {
            using var _ = JsonDocument.Parse(rawValue);
        }
        catch (JsonException)
        {
            IsJson = false;
        }

        return this;
    }

    public SpecDocument Remove(string path)
    {
        var (parent, key) = Navigate(path);
        parent.Remove(key);
        return this;
    }

    public string ToText()
    {
        string text = _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        foreach (var (token, raw) in _raw)
        {
            text = text.Replace($"\"{token}\"", raw, StringComparison.Ordinal);
        }

        return text;
    }

    private (JsonObject Parent, string Key) Navigate(string path)
    {
        var parts = path.Split('.');
        var current = _root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }

            current = next;
        }

        return (current, parts[^1]);
    }
}
