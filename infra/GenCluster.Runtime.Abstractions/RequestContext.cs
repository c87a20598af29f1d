using System.Collections.Immutable;

namespace GenCluster.Runtime;

/// <summary>
/// Key/value pairs that flow with a call chain across grains, silos and clients (as Orleans'
/// <c>RequestContext</c>). The runtime carries W3C trace context (<c>traceparent</c>, <c>tracestate</c>)
/// and the caller's tenant here.
/// </summary>
public static class RequestContext
{
    /// <summary>W3C trace-context header name.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>W3C trace-state header name.</summary>
    public const string TraceState = "tracestate";

    /// <summary>The authenticated tenant of the client that started the chain.</summary>
    public const string Tenant = "tenant";

    private static readonly AsyncLocal<ImmutableDictionary<string, string>?> s_values = new();

    /// <summary>The value of <paramref name="key"/> in the current flow, or null.</summary>
    public static string? Get(string key) => s_values.Value?.GetValueOrDefault(key);

    /// <summary>Sets <paramref name="key"/> for the rest of the current flow and calls made from it.</summary>
    public static void Set(string key, string value) =>
        s_values.Value = (s_values.Value ?? ImmutableDictionary<string, string>.Empty).SetItem(key, value);

    /// <summary>Removes <paramref name="key"/> from the current flow.</summary>
    public static void Remove(string key) => s_values.Value = s_values.Value?.Remove(key);

    /// <summary>Removes every key from the current flow.</summary>
    public static void Clear() => s_values.Value = null;

    /// <summary>A snapshot of the current flow's values (empty when none).</summary>
    public static IReadOnlyDictionary<string, string> Export() => s_values.Value ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>Replaces the current flow's values (the runtime does this when a call arrives).</summary>
    public static void Import(IReadOnlyDictionary<string, string>? values) =>
        s_values.Value = values is null || values.Count == 0 ? null : values.ToImmutableDictionary();
}
