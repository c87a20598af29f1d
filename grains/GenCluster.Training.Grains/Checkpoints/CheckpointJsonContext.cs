using System.Text.Json.Serialization;

namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>Source-generated JSON for manifests and shard object headers (camelCase, indented manifests for people).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CheckpointManifest))]
[JsonSerializable(typeof(ShardCheckpointHeader))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
