using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GenCluster.CodeGen.Diagnostics;

/// <summary>
/// A source location as plain values: a <see cref="Location"/> holds its syntax tree alive and compares by
/// reference, which would defeat incremental caching of the models that carry diagnostics.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || !location.IsInSource || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    /// <summary>The first source location of <paramref name="symbol"/>, or null when it comes from metadata.</summary>
    public static LocationInfo? From(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return From(location);
            }
        }

        return null;
    }
}
