namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>A grain method parameter.</summary>
/// <param name="Type">The type as generated code spells it.</param>
/// <param name="IsCancellationToken">Passed through to the call rather than serialized.</param>
internal sealed record GrainParameterModel(string Type, bool IsCancellationToken);
