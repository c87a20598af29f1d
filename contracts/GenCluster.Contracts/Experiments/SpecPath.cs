using System.Globalization;

namespace GenCluster.Contracts.Experiments;

/// <summary>Builds field paths as errors show them: <c>model.generator.featureMaps</c>, <c>devices[2]</c>.</summary>
internal static class SpecPath
{
    public static string Field(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or lies inside it.</summary>
    public static bool IsWithin(string path, string ancestor) =>
        ancestor.Length == 0
        || (path.StartsWith(ancestor, StringComparison.Ordinal)
            && (path.Length == ancestor.Length || path[ancestor.Length] is '.' or '['));
}
