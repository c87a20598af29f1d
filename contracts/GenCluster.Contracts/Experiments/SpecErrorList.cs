namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Collects every error of one spec. Every error marks its field as unusable, so later rules neither report the same
/// field twice nor draw conclusions from a value already found wrong (or, for text that could not be read, from the
/// placeholder standing in for it).
/// </summary>
internal sealed class SpecErrorList
{
    private readonly List<SpecError> _errors = [];
    private readonly List<string> _unusable = [];
    private readonly Func<string, (int Line, int Column)>? _locate;

    /// <param name="locate">Finds the line and column of a path in the source text; null for specs built in code.</param>
    public SpecErrorList(Func<string, (int Line, int Column)>? locate = null)
    {
        _locate = locate;
    }

    public int Count => _errors.Count;

    public IReadOnlyList<SpecError> Errors => _errors;

    /// <summary>Records a problem with a field and marks it unusable.</summary>
    public void Unusable(string path, string message, int line, int column)
    {
        _errors.Add(new SpecError(path, message, line, column));
        _unusable.Add(path);
    }

    /// <summary>Records a problem found by the validator and marks the field unusable.</summary>
    public void Add(string path, string message)
    {
        var (line, column) = _locate?.Invoke(path) ?? (0, 0);
        _errors.Add(new SpecError(path, message, line, column));
        _unusable.Add(path);
    }

    /// <summary>Whether every one of <paramref name="paths"/> was read without error, so rules may rely on its value.</summary>
    public bool Usable(params ReadOnlySpan<string> paths)
    {
        foreach (var path in paths)
        {
            foreach (var bad in _unusable)
            {
                if (SpecPath.IsWithin(path, bad) || SpecPath.IsWithin(bad, path))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="path"/> itself was read, even if some of its parts were not (a list with a bad item).</summary>
    public bool WasRead(string path)
    {
        foreach (var bad in _unusable)
        {
            if (SpecPath.IsWithin(path, bad))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The errors in document order (position, then path), those without a position last.</summary>
    public IReadOnlyList<SpecError> Sorted() =>
        _errors.OrderBy(e => e.Line == 0 ? int.MaxValue : e.Line).ThenBy(e => e.Column).ToList();
}
