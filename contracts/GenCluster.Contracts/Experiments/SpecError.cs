using System.Globalization;

namespace GenCluster.Contracts.Experiments;

/// <summary>One thing wrong with a spec: where, and why.</summary>
/// <param name="Path">The field, as written in the spec: <c>model.generator.featureMaps</c>, <c>devices[2]</c>; empty for the whole document.</param>
/// <param name="Message">Why it is wrong, and what would be right.</param>
/// <param name="Line">1-based line in the spec text, or 0 when the spec did not come from text.</param>
/// <param name="Column">1-based column (UTF-16 code units) in the spec text, or 0 when unknown.</param>
public sealed record SpecError(string Path, string Message, int Line = 0, int Column = 0)
{
    /// <summary><c>path (line L, column C): message</c>.</summary>
    public override string ToString()
    {
        string where = Path.Length == 0 ? "(document)" : Path;
        return Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{where} (line {Line}, column {Column}): {Message}")
            : $"{where}: {Message}";
    }
}
