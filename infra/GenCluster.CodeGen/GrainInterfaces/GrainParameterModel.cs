namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>A grain method parameter.</summary>
/// <param name="Type">The type as generated code spells it.</param>
/// <param name="IsCancellationToken">Passed through to the call rather than serialized.</param>
/// <param name="DestinationElementType">
/// For a <c>TensorDestination&lt;T&gt;</c>, T as generated code spells it: the proxy decodes the result into it, and
/// it never travels (the grain gets the default). Null for other parameters.
/// </param>
internal sealed record GrainParameterModel(string Type, bool IsCancellationToken, string? DestinationElementType = null)
{
    /// <summary>Whether the parameter stays with the caller instead of being serialized.</summary>
    public bool IsCallerOnly => IsCancellationToken || DestinationElementType is not null;
}
