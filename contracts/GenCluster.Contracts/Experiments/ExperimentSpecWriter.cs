using System.Text;
using System.Text.Json;
using F = GenCluster.Contracts.Experiments.SpecFieldNames;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Writes a spec as JSON with every field present (defaults included), in the order docs/EXPERIMENT-SPEC.md lists
/// them: what the cluster will actually run. <see cref="ExperimentSpecLoader"/> reads the result back to an equal spec.
/// </summary>
public static class ExperimentSpecWriter
{
    /// <summary>The spec as indented JSON.</summary>
    /// <exception cref="ExperimentSpecException">The spec is invalid; only valid specs are written.</exception>
    public static string ToJson(ExperimentSpec spec)
    {
        ExperimentSpecValidator.EnsureValid(spec);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString(F.Name, spec.Name);
            WriteModel(json, spec.Model);
            json.WriteStartObject(F.Dataset);
            json.WriteString(F.DatasetName, spec.Dataset.Name);
            json.WriteString(F.Location, spec.Dataset.Location);
            json.WriteString(F.Split, F.Of(spec.Dataset.Split));
            json.WriteEndObject();
            json.WriteNumber(F.BatchSize, spec.BatchSize);
            json.WriteNumber(F.Steps, spec.Steps);
            json.WriteStartObject(F.Optimizer);
            WriteOptimizer(json, F.Generator, spec.Optimizer.Generator);
            WriteOptimizer(json, F.Discriminator, spec.Optimizer.Discriminator);
            json.WriteEndObject();
            json.WriteNumber(F.WorldSize, spec.WorldSize);
            json.WriteStartObject(F.Shards);
            json.WriteNumber(F.Generator, spec.Shards.Generator);
            json.WriteNumber(F.Discriminator, spec.Shards.Discriminator);
            json.WriteEndObject();
            json.WriteStartObject(F.Checkpoints);
            json.WriteNumber(F.Interval, spec.Checkpoints.Interval);
            json.WriteNumber(F.Keep, spec.Checkpoints.Keep);
            json.WriteEndObject();
            json.WriteNumber(F.Seed, spec.Seed);
            json.WriteNumber(F.ThreadsPerWorker, spec.ThreadsPerWorker);
            if (spec.Devices is null)
            {
                json.WriteString(F.Devices, F.Auto);
            }
            else
            {
                json.WriteStartArray(F.Devices);
                foreach (var device in spec.Devices)
                {
                    json.WriteStringValue(device.ToString());
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteModel(Utf8JsonWriter json, ModelSpec model)
    {
        json.WriteStartObject(F.Model);
        json.WriteString(F.Family, model.Family);
        json.WriteNumber(F.LatentDim, model.LatentDim);
        json.WriteNumber(F.ImageSize, model.ImageSize);
        json.WriteNumber(F.Channels, model.Channels);
        WriteNetwork(json, F.Generator, model.Generator);
        WriteNetwork(json, F.Discriminator, model.Discriminator);
        json.WriteEndObject();
    }

    private static void WriteNetwork(Utf8JsonWriter json, string key, NetworkSpec network)
    {
        json.WriteStartObject(key);
        if (network.FeatureMaps is { } featureMaps)
        {
            json.WriteNumber(F.FeatureMaps, featureMaps);
        }

        if (network.Widths is { } widths)
        {
            json.WriteStartArray(F.Widths);
            foreach (int width in widths)
            {
                json.WriteNumberValue(width);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteOptimizer(Utf8JsonWriter json, string key, OptimizerSpec optimizer)
    {
        json.WriteStartObject(key);
        json.WriteString(F.Type, F.Of(optimizer.Type));
        json.WriteNumber(F.Lr, optimizer.Lr);
        if (optimizer.Type == OptimizerType.Adam)
        {
            json.WriteStartArray(F.Betas);
            json.WriteNumberValue(optimizer.Beta1!.Value);
            json.WriteNumberValue(optimizer.Beta2!.Value);
            json.WriteEndArray();
            json.WriteNumber(F.Eps, optimizer.Eps!.Value);
        }
        else
        {
            json.WriteNumber(F.Momentum, optimizer.Momentum!.Value);
            json.WriteNumber(F.Dampening, optimizer.Dampening!.Value);
            json.WriteBoolean(F.Nesterov, optimizer.Nesterov!.Value);
        }

        json.WriteNumber(F.WeightDecay, optimizer.WeightDecay);
        json.WriteEndObject();
    }
}
