namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>A sequence with its items in document order.</summary>
internal sealed class SpecSequence(int line, int column, IReadOnlyList<SpecNode> items) : SpecNode(line, column)
{
    public IReadOnlyList<SpecNode> Items { get; } = items;

    public override string Description => "a list";
}
