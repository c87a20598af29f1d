using Microsoft.CodeAnalysis;

namespace GenCluster.CodeGen.Diagnostics;

/// <summary>
/// Errors the generator reports instead of emitting code that would fail at run time or on the wire.
/// Ids are stable (documented in AnalyzerReleases.Unshipped.md); never reuse a retired one.
/// </summary>
internal static class GenClusterDiagnostics
{
    private const string GrainCategory = "GenCluster.Grains";
    private const string SerializationCategory = "GenCluster.Serialization";

    public static readonly DiagnosticDescriptor DuplicateMethodId = new(
        "GC0001",
        "Duplicate grain method id",
        "Methods {0} and {1} of grain interface {2} have the same id 0x{3}; give one of them an [Alias]",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateInterfaceId = new(
        "GC0002",
        "Duplicate grain interface id",
        "Grain interfaces {0} and {1} have the same id 0x{2}; give one of them a distinct [Alias]",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "GC0003",
        "Unsupported grain method return type",
        "Grain method {0} returns {1}; grain methods return Task, Task<T>, ValueTask, ValueTask<T> or IAsyncEnumerable<T>",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ByReferenceParameter = new(
        "GC0004",
        "Grain method parameter passed by reference",
        "Parameter '{0}' of grain method {1} is passed by reference ({2}); a call crosses processes, so parameters are passed by value",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "GC0005",
        "Generic grain method",
        "Grain method {0} is generic; grain methods cannot have type parameters",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedGrainInterface = new(
        "GC0006",
        "Unsupported grain interface",
        "Grain interface {0} is not supported: {1}",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidOneWay = new(
        "GC0007",
        "[OneWay] on a method with a result",
        "Grain method {0} is [OneWay] but returns {1}; a one-way call has no response, so it must return Task or ValueTask",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SeveralCancellationTokens = new(
        "GC0008",
        "Several cancellation tokens",
        "Grain method {0} has more than one CancellationToken parameter; the call carries one",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidTensorDestination = new(
        "GC0015",
        "Invalid tensor destination",
        "Grain method {0}: {1}",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedParameterType = new(
        "GC0009",
        "Unsupported grain method parameter type",
        "Parameter '{0}' of grain method {1} has type {2}, which cannot be serialized (ref structs and pointers cannot travel)",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberWithoutId = new(
        "GC0010",
        "Serialized type member without [Id]",
        "{0} of [GenerateSerializer] type {1} holds state but has no [Id]; it would silently not travel. Give it [Id(n)], or mark the field (for a property: [field: NonSerialized]) [NonSerialized].",
        SerializationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateMemberId = new(
        "GC0011",
        "Duplicate [Id] in a serialized type",
        "{0} and {1} of [GenerateSerializer] type {2} both have [Id({3})]",
        SerializationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedSerializableShape = new(
        "GC0012",
        "Unsupported [GenerateSerializer] type",
        "A serializer for {0} cannot be generated: {1}",
        SerializationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedGrainClass = new(
        "GC0013",
        "Unsupported grain class",
        "Grain class {0} is not supported: {1}",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateGrainType = new(
        "GC0014",
        "Duplicate grain type name",
        "Grain classes {0} and {1} both have grain type '{2}'; give one of them a distinct [GrainType]",
        GrainCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
