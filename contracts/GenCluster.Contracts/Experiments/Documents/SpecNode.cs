namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>
/// A node of spec text as read from YAML or JSON, before it means anything: a mapping, a sequence or a scalar, with
/// the 1-based line and column where it starts so that errors can point at it.
/// </summary>
internal abstract class SpecNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>What the node is, for messages: "a mapping", "a string", ….</summary>
    public abstract string Description { get; }
}
