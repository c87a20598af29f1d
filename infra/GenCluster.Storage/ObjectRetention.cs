namespace GenCluster.Storage;

/// <summary>
/// Keeps the newest K generations under a prefix and deletes the rest. A generation is what the next name segment
/// after the prefix groups: <c>ckpt/exp1/step-000200/shard-0</c> and <c>…/step-000200/manifest</c> are one
/// generation (<c>step-000200</c>) under <c>ckpt/exp1/</c>. Generations are ordered by name, so names must sort by
/// age (zero-padded steps).
/// </summary>
public static class ObjectRetention
{
    /// <summary>Deletes every generation under <paramref name="prefix"/> but the newest <paramref name="keep"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="prefix">Where the generations live, normally ending with '/'.</param>
    /// <param name="keep">How many of the newest generations stay (at least 1).</param>
    /// <param name="commitMarker">The last segment of the object that makes a generation valid (e.g. <c>manifest</c>):
    /// deleted first, so a reader never takes a half-deleted generation for a complete one. Null: no such order.</param>
    /// <param name="cancellationToken">Stops between deletions.</param>
    /// <returns>The names deleted, in the order they were deleted.</returns>
    public static async Task<IReadOnlyList<string>> KeepNewestAsync(
        this IObjectStore store, string prefix, int keep, string? commitMarker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var generations = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = item.Name[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var generation = slash < 0 ? rest : rest[..slash];
            if (!generations.TryGetValue(generation, out var names))
            {
                generations[generation] = names = [];
            }

            names.Add(item.Name);
        }

        var deleted = new List<string>();
        foreach (var names in generations.Values.Take(Math.Max(0, generations.Count - keep)))
        {
            var ordered = commitMarker is null
                ? names
                : names.OrderBy(n => n == commitMarker || n.EndsWith("/" + commitMarker, StringComparison.Ordinal) ? 0 : 1).ToList();
            foreach (var name in ordered)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await store.DeleteAsync(name, ifMatch: null, cancellationToken).ConfigureAwait(false))
                {
                    deleted.Add(name);
                }
            }
        }

        return deleted;
    }
}
