using System.Text.Json.Serialization;

namespace GenCluster.Membership;

/// <summary>Source-generated (reflection-free) JSON for membership table files.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(MembershipTableDocument))]
internal sealed partial class MembershipTableJsonContext : JsonSerializerContext;
