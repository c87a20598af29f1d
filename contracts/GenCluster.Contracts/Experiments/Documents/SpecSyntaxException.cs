using System.Globalization;

namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>Spec text is not well-formed YAML or JSON, or uses YAML outside the subset the reader supports.</summary>
internal sealed class SpecSyntaxException(int line, int column, string reason)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}: {reason}"))
{
    /// <summary>1-based line of the offending character.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column (UTF-16 code units) of the offending character.</summary>
    public int Column { get; } = column;

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; } = reason;
}
