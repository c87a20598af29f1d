namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>A mapping with its entries in document order; keys are unique scalars.</summary>
internal sealed class SpecMapping(int line, int column, IReadOnlyList<KeyValuePair<SpecScalar, SpecNode>> entries) : SpecNode(line, column)
{
    public IReadOnlyList<KeyValuePair<SpecScalar, SpecNode>> Entries { get; } = entries;

    public override string Description => "a mapping";
}
