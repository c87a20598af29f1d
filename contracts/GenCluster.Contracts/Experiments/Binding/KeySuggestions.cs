namespace GenCluster.Contracts.Experiments.Binding;

/// <summary>Finds the known word a misspelt key or keyword most likely meant ("did you mean").</summary>
internal static class KeySuggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="word"/>, if close enough: equal once case, '_' and '-' are ignored
    /// (<c>batch_size</c> → <c>batchSize</c>), or within an edit distance of about a third of its length.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string folded = Fold(word);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(folded, Fold(candidate), StringComparison.Ordinal))
            {
                return candidate;
            }

            int distance = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        int allowed = Math.Max(1, Math.Min(word.Length, best?.Length ?? 0) / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary><c> (did you mean 'x'?)</c> or an empty string.</summary>
    public static string Hint(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } match ? $" (did you mean '{match}'?)" : string.Empty;

    private static string Fold(string word) => word.Replace("_", string.Empty, StringComparison.Ordinal)
        .Replace("-", string.Empty, StringComparison.Ordinal)
        .ToLowerInvariant();

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        // Keys are short, but a hostile key may not be: beyond this the answer is "far" anyway.
        if (Math.Abs(a.Length - b.Length) > 8 || a.Length > 256 || b.Length > 256)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
